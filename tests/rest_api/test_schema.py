"""The OpenAPI document third parties integrate from: served over HTTP, complete, valid."""
from __future__ import annotations

import requests
import yaml
from drf_spectacular.validation import validate_schema

V1 = "/api/commerce_plugin/v1"


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
        f"{V1}/orders/{{number}}/refund/", f"{V1}/refunds/", f"{V1}/refunds/{{refund_uuid}}/approve/",
        f"{V1}/refunds/{{refund_uuid}}/reject/", f"{V1}/course-runs/{{course_id}}/cancel-sales/",
        f"{V1}/workgroups/", f"{V1}/workgroups/{{workgroup_id}}/", f"{V1}/workgroups/{{workgroup_id}}/members/",
        f"{V1}/workgroups/{{workgroup_id}}/members/bulk/", f"{V1}/workgroups/{{workgroup_id}}/members/{{email}}/",
        f"{V1}/course-runs/{{course_id}}/rules/", f"{V1}/people/provision/", f"{V1}/people/{{email}}/access/",
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


def test_schema_documents_refunds_their_errors_and_who_may_call(lms):
    schema = _schema(lms)
    paths, components = schema["paths"], schema["components"]["schemas"]

    refund = paths[f"{V1}/orders/{{number}}/refund/"]
    assert set(refund) == {"get", "post"}
    assert {"201", "400", "401", "403", "404", "409"} <= set(refund["post"]["responses"])
    assert refund["post"]["responses"]["409"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/RefundNotAllowed")
    assert refund["post"]["responses"]["400"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/RefundAmountInvalid")
    assert set(components["RefundRequestRequest"]["properties"]) == {"amount", "reason"}
    assert {"uuid", "order_number", "amount", "currency", "status", "source", "reason", "reason_message", "note",
            "override", "created", "completed_at", "last_error"} == set(components["Refund"]["properties"])
    assert {"eligible", "reason", "message", "refundable_until", "amount", "currency"} == set(
        components["RefundDecision"]["properties"])
    assert components["Refund"]["properties"]["amount"]["type"] == "integer"
    for path in ("refunds/{refund_uuid}/approve/", "refunds/{refund_uuid}/reject/",
                 "course-runs/{course_id}/cancel-sales/"):
        assert {"200", "401", "403"} <= set(paths[f"{V1}/{path}"]["post"]["responses"])
    assert "409" in paths[f"{V1}/refunds/{{refund_uuid}}/approve/"]["post"]["responses"]
    assert components["RefundRejectRequest"]["required"] == ["note"]
    assert components["CancelSalesRequest"]["required"] == ["reason"]
    assert {"status", "course_id", "order"} <= {param["name"] for param in paths[f"{V1}/refunds/"]["get"]["parameters"]}
    assert "PaginatedRefundList" in components


def test_schema_is_valid_openapi_3(lms):
    response = requests.get(f"{lms.url}{V1}/schema/", params={"format": "json"}, timeout=10)

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.") and schema["info"]["title"] == "Open edX commerce API"
    validate_schema(schema)  # raises on any violation of the OpenAPI JSON schema


def test_the_committed_rest_reference_is_the_schema_the_views_serve():
    from scripts.render_openapi import TARGET, render

    assert TARGET.read_text(encoding="utf-8") == render(), "run `make docs-api` and commit docs/reference/openapi.yaml"
