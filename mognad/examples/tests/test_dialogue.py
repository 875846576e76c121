"""The result dialogue: a workshop guide per organization and year (figures, where respondents
disagree most, three questions per weak capability), its conclusions, and a conclusion turned
into a planned action of origin "dialogue"."""

from __future__ import annotations

import pytest
import yaml
from django.urls import reverse

from mognad.examples import dialogue
from mognad.examples.models import Conclusion
from mognad.examples.questions import QUESTIONS_FILE, QuestionsError, parse, questions
from mognad.instrument.loader import load_file
from mognad.plans.models import ActionPlan, PlannedAction
from mognad.results import pages
from mognad.results.tests.test_report import pdf_info, pdf_text
from mognad.surveys.tests.factories import STANDARD

pytestmark = pytest.mark.django_db


def guide_url(org, year=2026):
    return reverse("examples:dialogue", args=[org.slug]) + f"?year={year}"


def test_every_capability_of_the_standard_questionnaire_has_three_questions_in_both_languages():
    instrument = load_file(STANDARD)
    found = questions()
    assert set(found) == {cap.id for cap in instrument.capabilities}
    for texts in found.values():
        assert len(texts) == 3
        assert all(t.sv.endswith("?") and t.en.endswith("?") and t.sv != t.en for t in texts)


@pytest.mark.parametrize(
    "broken",
    [
        {"eff.strategy": [{"sv": "Fråga?", "en": "Question?"}] * 2},
        {"eff.strategy": [{"sv": "Fråga?"}] * 3},
        {"eff.strategy": [{"sv": " ", "en": "Question?"}] * 3},
        ["eff.strategy"],
    ],
)
def test_a_questions_file_without_three_questions_in_both_languages_is_refused(broken):
    with pytest.raises(QuestionsError):
        parse(yaml.safe_dump(broken, allow_unicode=True))


def test_the_file_is_the_one_the_guide_reads():
    assert QUESTIONS_FILE.name == "dialogue_questions.yaml" and QUESTIONS_FILE.exists()


def test_the_guide_shows_the_weakest_capabilities_weakest_first_with_their_questions(
    ankeby, ankeby_2026
):
    page = pages.load(ankeby, year=2026, unit=None, scope=None)
    guide = dialogue.build(page, {})
    scores = [w.figure.score for w in guide.weak]
    assert len(guide.weak) == 5 and scores == sorted(scores)
    every = [page.figure(("capability", c.id)) for c in page.instrument.capabilities]
    assert scores[0] == min(f.score for f in every if f is not None)
    assert all(len(w.questions) == 3 for w in guide.weak)


def test_the_guide_names_the_categories_where_respondents_disagree_most(ankeby, ankeby_2026):
    page = pages.load(ankeby, year=2026, unit=None, scope=None)
    guide = dialogue.build(page, {})
    stored = page.figures.payload(("organization", ""))["consensus"]
    lowest = sorted(stored.values(), key=lambda e: e["agreement"])[:3]
    assert [round(r.agreement, 6) for r in guide.disagreements] == [
        round(e["agreement"], 6) for e in lowest
    ]


def test_the_guide_page_and_its_tagged_pdf(alice_client, ankeby, ankeby_2026, tmp_path):
    page = alice_client.get(guide_url(ankeby))
    assert page.status_code == 200
    weak = page.context["guide"].weak
    body = page.content.decode()
    assert all(q in body for q in weak[0].questions)
    pdf = alice_client.get(reverse("examples:dialogue_pdf", args=[ankeby.slug]) + "?year=2026")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    path = tmp_path / "guide.pdf"
    path.write_bytes(pdf.content)
    info = pdf_info(path)
    assert "Tagged:          yes" in info
    assert "Title:           Resultatdialog 2026: Ankeby kommun" in info
    text = " ".join(pdf_text(path).split())
    assert weak[0].name in text and " ".join(weak[0].questions[0].split()) in text


def test_a_year_without_results_is_a_clear_404(alice_client, ankeby, ankeby_2026):
    response = alice_client.get(guide_url(ankeby, 2019))
    assert response.status_code == 404
    assert alice_client.get(guide_url(ankeby, "nonsense")).status_code == 400


def test_a_key_user_records_conclusions_and_a_viewer_may_not(
    alice_client, victor_client, ankeby, ankeby_2026
):
    weak = alice_client.get(guide_url(ankeby)).context["guide"].weak
    data = {weak[0].id: "Utse systemägare för de fem viktigaste systemen.", weak[1].id: ""}
    assert victor_client.post(guide_url(ankeby), data).status_code == 403
    assert not Conclusion.objects.exists()
    assert "Save the conclusions" not in victor_client.get(guide_url(ankeby)).content.decode()
    response = alice_client.post(guide_url(ankeby), data)
    assert response.status_code == 302
    saved = Conclusion.objects.get()
    assert (saved.capability, saved.measurement) == (weak[0].id, ankeby_2026)
    # Emptied again, it is gone.
    alice_client.post(guide_url(ankeby), {weak[0].id: "  "})
    assert not Conclusion.objects.exists()


def test_a_conclusion_becomes_an_action_of_origin_dialogue_in_the_years_plan(
    alice_client, ankeby, ankeby_2026
):
    weak = alice_client.get(guide_url(ankeby)).context["guide"].weak
    alice_client.post(guide_url(ankeby), {weak[0].id: "Utse systemägare.\nFölj upp i juni."})
    conclusion = Conclusion.objects.get()
    url = reverse("examples:conclusion_to_plan", args=[ankeby.slug, conclusion.pk])
    response = alice_client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:year", args=[ankeby.slug, 2026])
    plan = ActionPlan.objects.get(organization=ankeby, year=2026)
    action = plan.actions.get()
    assert action.origin == PlannedAction.Origin.DIALOGUE
    assert action.capabilities == [weak[0].id] and "Utse systemägare." in action.title
    conclusion.refresh_from_db()
    assert conclusion.planned_action == action
    # Twice is refused; the plan keeps one action.
    alice_client.post(url)
    assert plan.actions.count() == 1
