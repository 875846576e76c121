"""GET /api/v1/ answers JSON that points to the schema and the documentation (it was a 404 page)."""

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


def test_the_root_is_not_part_of_the_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/" not in paths


def test_the_root_is_read_only(client):
    assert client.post("/api/v1/").status_code == 405
