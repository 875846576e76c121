"""GET /api/v1/ answers JSON that points to the schema and the documentation (it was a 404 page)."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_the_api_root_answers_json_with_links_anonymously(client):
    response = client.get("/api/v1/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["schema"] == "http://testserver/api/v1/openapi.json"
    assert "docs/api.md" in body["documentation"]
    assert client.get(body["schema"]).status_code == 200
    assert body["reference"] == "http://testserver/api/v1/docs"


def test_the_root_is_not_part_of_the_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/" not in paths


def test_the_root_is_read_only(client):
    assert client.post("/api/v1/").status_code == 405


def test_the_reference_page_is_public_and_loads_swagger_from_our_own_static_files(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<script src="/static/ninja/swagger-ui-bundle.js">' in html
    assert '<script src="/static/api/reference.js">' in html
    assert "cdn" not in html.lower()
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200


def test_the_reference_page_has_no_inline_script(client):
    html = client.get("/api/v1/docs").content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
    inline = [attrs for attrs, body in scripts if body.strip() and "application/json" not in attrs]
    assert inline == []
    assert "script-src 'self'" in client.get("/api/v1/docs")["Content-Security-Policy"]
