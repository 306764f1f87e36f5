"""The OpenAPI document third parties integrate from: served over HTTP, complete, valid."""
from __future__ import annotations

import requests
import yaml
from drf_spectacular.validation import validate_schema

V1 = "/api/commerce/v1"


def _schema(lms) -> dict:
    response = requests.get(f"{lms.url}{V1}/schema/", timeout=10)
    assert response.status_code == 200, response.text
    assert "openapi" in response.headers["Content-Type"]
    return yaml.safe_load(response.text)


def test_schema_lists_every_v1_route_and_only_those(lms):
    schema = _schema(lms)

    assert set(schema["paths"]) == {
        f"{V1}/health/", f"{V1}/products/", f"{V1}/products/{{product_uuid}}/",
        f"{V1}/orders/", f"{V1}/orders/{{number}}/", f"{V1}/orders/{{number}}/cancel/",
    }
    assert set(schema["paths"][f"{V1}/orders/"]) == {"get", "post"}


def test_schema_describes_orders_and_products_with_money_as_integers(lms):
    components = _schema(lms)["components"]

    order = components["schemas"]["Order"]["properties"]
    product = components["schemas"]["Product"]["properties"]
    assert order["amount"]["type"] == "integer" and product["price"]["type"] == "integer"
    assert {"number", "status", "product", "course_id", "checkout_url", "receipt_url", "enrollment_state"} <= set(order)
    assert {"uuid", "course_id", "on_sale", "seats_taken", "checkout_url"} <= set(product)
    assert set(components["schemas"]["OrderCreateRequest"]["properties"]) == {"product"}
    assert {"count", "num_pages", "current_page", "start", "results"} <= set(
        components["schemas"]["PaginatedOrderList"]["properties"])
    assert components["securitySchemes"]["jwtAuth"]["name"] == "Authorization"


def test_schema_documents_the_error_responses_of_buying(lms):
    post = _schema(lms)["paths"][f"{V1}/orders/"]["post"]

    assert {"200", "201", "400", "401", "404", "409", "503"} <= set(post["responses"])
    assert post["responses"]["409"]["content"]["application/json"]["schema"]["$ref"].endswith("/AlreadyPurchased")


def test_schema_is_valid_openapi_3(lms):
    response = requests.get(f"{lms.url}{V1}/schema/", params={"format": "json"}, timeout=10)

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.") and schema["info"]["title"] == "Open edX commerce API"
    validate_schema(schema)  # raises on any violation of the OpenAPI JSON schema
