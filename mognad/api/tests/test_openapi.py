"""GET /api/v1/openapi.json: the schema that documents (and lets tools test) the API."""

from __future__ import annotations

import re

from django.test import Client

EXPECTED = {
    ("get", "/api/v1/organizations/"),
    ("get", "/api/v1/organizations/{slug}/"),
    ("get", "/api/v1/organizations/{slug}/measurements/"),
    ("get", "/api/v1/measurements/{measurement_id}/"),
    ("get", "/api/v1/measurements/{measurement_id}/results/"),
    ("get", "/api/v1/measurements/{measurement_id}/respondents/"),
    ("post", "/api/v1/measurements/{measurement_id}/respondents/"),
    ("delete", "/api/v1/measurements/{measurement_id}/respondents/{respondent_id}/"),
    ("get", "/api/v1/organizations/{slug}/plans/"),
    ("get", "/api/v1/organizations/{slug}/plans/{year}/"),
    ("post", "/api/v1/organizations/{slug}/plans/{year}/actions/"),
    ("get", "/api/v1/organizations/{slug}/actions/{action_id}/"),
    ("patch", "/api/v1/organizations/{slug}/actions/{action_id}/"),
    ("delete", "/api/v1/organizations/{slug}/actions/{action_id}/"),
    ("get", "/api/v1/examples/"),
    ("get", "/api/v1/examples/{example_id}/"),
    ("get", "/api/v1/open-data/"),
    ("get", "/api/v1/open-data/{year}/{version}/{name}"),
}
# Public by design (published open data, docs/api.md "Open data"): no token.
PUBLIC = {"/api/v1/open-data/", "/api/v1/open-data/{year}/{version}/{name}"}


def test_the_schema_is_public_and_lists_every_endpoint(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    operations = {(m, path) for path, ops in schema["paths"].items() for m in ops}
    assert operations == EXPECTED


def test_every_operation_requires_a_token_and_documents_its_errors(db):
    schema = Client().get("/api/v1/openapi.json").json()
    assert schema["components"]["securitySchemes"]["TokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
    }
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if path in PUBLIC:
                assert "security" not in operation, (method, path)
                continue
            assert {"TokenAuth": []} in operation["security"], (method, path)
            assert {"401", "404", "422"} <= set(operation["responses"]), (method, path)


def test_the_open_data_file_documents_its_errors_and_content_types(db):
    schema = Client().get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/open-data/{year}/{version}/{name}"]["get"]
    assert {"200", "404", "422"} <= set(operation["responses"])
    assert {"application/json", "text/csv", "text/markdown"} <= set(
        operation["responses"]["200"]["content"]
    )


def test_adding_a_respondent_documents_its_body(db):
    schema = Client().get("/api/v1/openapi.json").json()
    body = schema["paths"]["/api/v1/measurements/{measurement_id}/respondents/"]["post"][
        "requestBody"
    ]
    fields = body["content"]["application/json"]["schema"]["properties"]
    assert set(fields) == {"email", "unit_id", "role", "language"}


def test_the_swagger_page_loads_no_script_or_style_from_elsewhere(db):
    html = Client().get("/api/v1/docs").content.decode()
    addresses = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in addresses)
    assert all(a.startswith(("/", "#")) and not a.startswith("//") for a in addresses), addresses
