"""Who was asked (Measurement.sampling) reaches the stored intervals and the overview page."""

from __future__ import annotations

import numpy as np
import pytest
from django.urls import reverse

from mognad.results.compute import compute_and_store
from mognad.results.models import MeasurementResult
from mognad.results.sampling import design_options
from mognad.surveys.models import Measurement, Respondent

ORGANIZATION = {"group_kind": "organization"}


def organization_payload(measurement):
    return MeasurementResult.objects.get(measurement=measurement, **ORGANIZATION).payload


def rescored(measurement, sampling):
    measurement.sampling = sampling
    measurement.save()
    compute_and_store(measurement)
    return organization_payload(measurement)


def invite(measurement, count):
    for n in range(count):
        Respondent.objects.create(
            measurement=measurement,
            email=f"person{n}@example.se",
            role="staff",
            status=Respondent.Status.INVITED,
        )


def test_the_whole_target_group_narrows_the_intervals_by_the_finite_population_correction(
    results_2026,
):
    invite(results_2026, 30)  # 30 invited, the 24 who answered were not among them: 30 ≥ 24
    sample = rescored(results_2026, Measurement.Sampling.SAMPLE)
    whole = rescored(results_2026, Measurement.Sampling.WHOLE_GROUP)
    assert whole["sampling"] == {"design": "whole_group", "invited": 30, "units": None}
    assert whole["overall"]["score"] == sample["overall"]["score"]
    assert whole["overall"]["se"] == pytest.approx(sample["overall"]["se"] * np.sqrt(1 - 24 / 30))


def test_without_a_count_of_the_invited_there_is_no_correction(results_2026):
    results_2026.invitation_mode = Measurement.InvitationMode.OPEN_LINK
    payload = rescored(results_2026, Measurement.Sampling.WHOLE_GROUP)
    assert payload["sampling"]["design"] == "sample"


def test_whole_units_make_the_organizations_interval_count_units(results_2026, elder_care):
    sample = rescored(results_2026, Measurement.Sampling.SAMPLE)
    units = rescored(results_2026, Measurement.Sampling.UNITS)
    # Four units answered (management, social services, elder care, education).
    assert units["sampling"] == {"design": "units", "invited": None, "units": 4}
    assert units["overall"]["score"] == sample["overall"]["score"]
    assert units["overall"]["se"] != sample["overall"]["se"]

    def design(kind, key):
        found = MeasurementResult.objects.get(
            measurement=results_2026, group_kind=kind, group_key=key
        )
        return found.payload["sampling"]

    # Staff answered in social services and in elder care: two units.
    assert design("role", "staff") == {"design": "units", "invited": None, "units": 2}
    # Elder care is one unit: its people are a sample of it.
    assert design("unit", str(elder_care.pk))["design"] == "sample"


def test_design_options_follow_the_measurements_statement():
    measurement = Measurement(sampling=Measurement.Sampling.UNITS)
    mask = np.array([True, True, False, True])
    options = design_options(measurement, [3, None, 3, 5], mask, None)
    assert options["clusters"].tolist() == [3, -1, 5]
    assert design_options(measurement, [3, 3, 5, 3], mask, None) == {}  # one unit in the group
    measurement.sampling = Measurement.Sampling.WHOLE_GROUP
    assert design_options(measurement, [3, 3, 5, 3], mask, 40) == {"whole_group": True}
    assert design_options(measurement, [3, 3, 5, 3], mask, None) == {}
    measurement.sampling = Measurement.Sampling.SAMPLE
    assert design_options(measurement, [3, 3, 5, 3], mask, 40) == {}


@pytest.mark.parametrize(
    ("sampling", "swedish"),
    [
        ("sample", "Intervallen förutsätter att de som svarade är ett slumpmässigt urval"),
        ("whole_group", "Hela målgruppen tillfrågad – ändlig-populationskorrektion"),
        ("units", "Hela enheter valdes ut: intervallen räknar de enheter som svarade"),
    ],
)
def test_the_overview_says_what_the_intervals_assume(
    alice_client, ankeby, results_2026, sampling, swedish
):
    invite(results_2026, 30)
    rescored(results_2026, sampling)
    page = reverse("results:overview", args=[ankeby.slug])
    assert swedish in alice_client.get(page).content.decode()
    alice_client.cookies["mognad_language"] = "en"
    english = alice_client.get(page).content.decode()
    assert {
        "sample": "a random sample of the group",
        "whole_group": "finite-population correction",
        "units": "Whole units were chosen",
    }[sampling] in english
