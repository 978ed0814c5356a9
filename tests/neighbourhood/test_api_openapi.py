"""The OpenAPI document is valid and complete, and the docs page needs no network."""

import re

import pytest
import schemathesis

EXPECTED_OPERATIONS = {
    ("get", "/api/v1/me"),
    ("get", "/api/v1/neighbourhoods"),
    ("post", "/api/v1/neighbourhoods"),
    ("get", "/api/v1/neighbourhoods/{neighbourhood_id}"),
    ("patch", "/api/v1/neighbourhoods/{neighbourhood_id}"),
    ("get", "/api/v1/areas"),
    ("post", "/api/v1/areas"),
    ("get", "/api/v1/areas/{area_id}"),
    ("patch", "/api/v1/areas/{area_id}"),
    ("get", "/api/v1/households"),
    ("post", "/api/v1/households"),
    ("get", "/api/v1/households/{household_id}"),
    ("patch", "/api/v1/households/{household_id}"),
    ("get", "/api/v1/people"),
    ("post", "/api/v1/people"),
    ("get", "/api/v1/people/{person_id}"),
    ("patch", "/api/v1/people/{person_id}"),
    ("get", "/api/v1/organisations"),
    ("post", "/api/v1/organisations"),
    ("get", "/api/v1/organisations/{organisation_id}"),
    ("patch", "/api/v1/organisations/{organisation_id}"),
    ("get", "/api/v1/tokens"),
    ("post", "/api/v1/tokens"),
    ("post", "/api/v1/tokens/{token_id}/revoke"),
}


@pytest.fixture
def document(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


def neighbourhood_and_token_operations(document):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            if (method, path) in EXPECTED_OPERATIONS:
                yield method, path, operation


def test_the_document_is_valid_openapi_3(document):
    assert document["openapi"].startswith("3.")
    schemathesis.openapi.from_dict(document).validate()  # raises on an invalid document


def test_every_operation_of_this_part_is_documented(document):
    found = {(m, p) for m, p, _ in neighbourhood_and_token_operations(document)}

    assert found == EXPECTED_OPERATIONS


def test_every_operation_documents_its_errors_and_asks_for_credentials(document):
    for method, path, operation in neighbourhood_and_token_operations(document):
        statuses = set(operation["responses"])
        assert {"401", "422"} <= statuses or path == "/api/v1/me", (method, path)
        if method in {"post", "patch"} and "/tokens" not in path:
            assert {"400", "403", "409"} <= statuses, (method, path)
        if "{" in path:
            assert "404" in statuses, (method, path)
        assert operation["security"] == [{"TokenAuth": []}, {"SessionAuth": []}]


def test_write_bodies_forbid_unknown_fields(document):
    schemas = document["components"]["schemas"]
    bodies = [
        operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        for _, _, operation in neighbourhood_and_token_operations(document)
        if "requestBody" in operation
    ]
    assert len(bodies) == 11
    for ref in bodies:
        name = ref.rsplit("/", 1)[-1]
        assert schemas[name].get("additionalProperties") is False, name


def test_ids_are_bounded_to_what_the_database_holds(document):
    for _, _, operation in neighbourhood_and_token_operations(document):
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "path":
                assert parameter["schema"]["minimum"] == 1
                assert parameter["schema"]["maximum"] == 2**63 - 1


def test_the_docs_page_loads_nothing_from_another_site(client, db):
    """Swagger UI must come from our own static files: installs may be offline, and a CDN
    would learn who reads our docs. (django-ninja serves its bundled copy when "ninja" is in
    INSTALLED_APPS; otherwise it falls back to a CDN.)"""
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any("swagger-ui" in url for url in urls), urls
    external = [url for url in urls if re.match(r"^(https?:)?//", url)]
    assert external == [], "add 'ninja' to INSTALLED_APPS to serve Swagger UI locally"
