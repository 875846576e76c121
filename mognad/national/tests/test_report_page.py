"""The status report page: the coordinator picks year, language and format and downloads it."""

from __future__ import annotations

from django.urls import reverse

URL = reverse("national:report")


def test_the_coordinator_sees_the_form_with_the_years_with_results(nadia_client, two_years):
    response = nadia_client.get(URL)
    assert response.status_code == 200
    assert [value for value, _ in response.context["form"].fields["year"].choices] == [2026, 2025]
    assert "Ladda ner rapporten" in response.content.decode()


def test_it_downloads_the_html_report(nadia_client, two_years):
    response = nadia_client.get(URL, {"year": "2026", "language": "en", "format": "html"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert 'filename="mognad-national-2026-en.html"' in response["Content-Disposition"]
    assert "Digital maturity in the public sector 2026" in response.content.decode()


def test_it_downloads_the_pdf_report(nadia_client, two_years):
    response = nadia_client.get(URL, {"year": "2025", "language": "sv", "format": "pdf"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_a_year_without_results_gets_a_clear_error(nadia_client, two_years):
    response = nadia_client.get(URL, {"year": "2019", "language": "sv", "format": "pdf"})
    assert response.status_code == 400
    assert response.context["form"].errors["year"]
    assert 'aria-describedby="year-error"' in response.content.decode()


def test_a_forged_format_gets_a_clear_error(nadia_client, two_years):
    response = nadia_client.get(URL, {"year": "2026", "language": "sv", "format": "docx"})
    assert response.status_code == 400
    assert response.context["form"].errors["format"]


def test_without_results_there_is_nothing_to_choose(nadia_client, db):
    response = nadia_client.get(URL)
    assert response.status_code == 200
    assert "Ingen mätning har avslutats" in response.content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_key_users_and_outsiders_get_404(alice_client, charlie_client, two_years):
    assert alice_client.get(URL, {"year": "2026"}).status_code == 404
    assert charlie_client.get(URL).status_code == 404
