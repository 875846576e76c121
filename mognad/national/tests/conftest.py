import pytest

from mognad.national.tests.factories import Group, measured, organization, unit_of


@pytest.fixture(autouse=True)
def _fast_bootstrap(settings):
    settings.BOOTSTRAP_RESAMPLES = 100
    settings.ANONYMITY_K = 5


@pytest.fixture
def two_years(db):
    """Six municipalities measured in 2025 and 2026 (two agreed to be named), two newcomers in
    2026, sector units of social services and education, and one organization that has not started.
    """
    orgs = []
    for i in range(8):
        org = organization(
            f"Kommun {i}",
            county="Alän" if i % 2 else "Blän",
            size_class="S" if i < 4 else "M",
            named=i in (0, 1),
            research=i < 6,
            sectors=("social_services", "education"),
        )
        social, school = unit_of(org, "social_services"), unit_of(org, "education")
        if i < 6:
            measured(
                org,
                [
                    Group(6, level=2.8 + 0.1 * i, unit=social, role="staff", dont_know=0.05),
                    Group(6, level=3.2 + 0.1 * i, unit=school, role="manager"),
                ],
                year=2025,
                seed=i,
                invited=14,
            )
        measured(
            org,
            [
                Group(6, level=3.0 + 0.1 * i, unit=social, role="staff", dont_know=0.05),
                Group(6, level=3.6 + 0.1 * i, unit=school, role="manager"),
                Group(2, level=4.0, role="it"),
            ],
            year=2026,
            seed=100 + i,
            invited=16,
        )
        orgs.append(org)
    organization("Sovande kommun", county="Alän")
    return orgs
