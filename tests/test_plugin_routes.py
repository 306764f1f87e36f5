"""Every plugin route, resolved through the host's URLconf, reaches the plugin's own view.

The LMS mounts plugin URLs after its core routes, so a core pattern that matches a plugin path
silently wins (``api/commerce/v1/orders/<number>/`` did, before ADR 0011). The sandbox mounts the
LMS's colliding prefixes (``sandbox/lms/core_routes.py``); this test walks the plugin's URL
patterns, builds a realistic path for each, and resolves it through the whole host.
"""
from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from django.urls import URLPattern, URLResolver, resolve, reverse
from edx_django_utils.plugins import get_plugin_url_patterns

from sandbox.lms.core_routes import ROUTE_HEADER

# Realistic values for each URL keyword: what the plugin's own links put there.
SAMPLE_KWARGS = {
    "number": "CP-7K2M9Q4X1Z",
    "product_uuid": uuid.UUID("6f1c2a9e-3b4d-4e5f-8a7b-1c2d3e4f5a6b"),
    "refund_uuid": "0b9e8d7c-6a5b-4c3d-9e8f-7a6b5c4d3e2f",
    "course_id": "course-v1:SandboxX+Commerce101+2026",
    "workgroup_id": "42",
    "email": "ada@example.com",
}


def _named_routes(patterns, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if pattern.namespace and namespace else (
                pattern.namespace or namespace)
            yield from _named_routes(pattern.url_patterns, inner)
        elif pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern


def _plugin_routes() -> list[tuple[str, URLPattern]]:
    routes = list(_named_routes(get_plugin_url_patterns("lms.djangoapp")))
    assert len(routes) > 15, "the plugin's routes were not found"
    return routes


def _sample_path(name: str, pattern: URLPattern) -> str:
    wanted = set(pattern.pattern.converters) or set(pattern.pattern.regex.groupindex)
    return reverse(name, kwargs={key: SAMPLE_KWARGS[key] for key in wanted})


def _route_id(value: object) -> str:
    return value if isinstance(value, str) else ""


@pytest.mark.parametrize(("name", "pattern"), _plugin_routes(), ids=_route_id)
def test_each_plugin_route_reaches_the_plugin_through_the_host(name, pattern):
    path = _sample_path(name, pattern)
    match = resolve(path)
    assert match.func.__module__.startswith("commerce_plugin."), (
        f"{path} ({name}) is shadowed by {match.func.__module__}.{match.func.__name__} "
        f"({getattr(match.func, 'lms_route', '?')})")
    assert match.view_name == name


@pytest.mark.parametrize("path", [
    "/api/commerce/v1/orders/CP-7K2M9Q4X1Z/",
    "/api/commerce/v1/courses/course-v1:SandboxX+Commerce101+2026/",
    "/api/commerce/v0/baskets/",
    "/commerce/checkout/receipt/",
    "/api/course_modes/v1/courses/course-v1:SandboxX+Commerce101+2026/",
    "/dashboard/programs/",
])
def test_the_host_shadows_what_the_real_lms_owns(path):
    """The stand-ins are there: a plugin route at these paths would be caught by the test above."""
    match = resolve(path)
    assert match.func.__module__ == "sandbox.lms.core_routes"


@pytest.mark.django_db
def test_a_shadowed_path_says_which_lms_view_answers_it(client):
    response = client.get("/api/commerce/v1/orders/CP-7K2M9Q4X1Z/")
    assert response.status_code == 404
    assert response[ROUTE_HEADER] == "commerce_api:v1:orders:detail"
    assert response.json()["lms_route"] == "commerce_api:v1:orders:detail"


def test_the_rest_api_pages_and_webhook_have_separate_prefixes():
    api, pages, webhooks = [], [], []
    for name, pattern in _plugin_routes():
        path = _sample_path(name, pattern)
        (api if name.startswith("commerce_plugin:v1:") else webhooks if "webhook" in name else pages).append(path)
    assert api and all(path.startswith("/api/commerce_plugin/v1/") for path in api)
    assert webhooks and all(path.startswith("/commerce/webhooks/") for path in webhooks)
    assert pages and all(path.startswith("/commerce/") and not path.startswith("/commerce/webhooks/")
                         for path in pages)
