"""The real LMS's core URL prefixes that a plugin's routes could collide with, mounted before the plugin.

The LMS builds ``lms/urls.py`` as its core routes first and ``get_plugin_url_patterns`` last, so
any core pattern that matches a plugin path wins and the plugin's view is never reached. The
miniature LMS serves real stand-ins for the APIs the plugin calls (enrollment, accounts,
certificates, its learner pages); this module adds the rest of what the real LMS owns, so that a
clash shows up in our tests instead of in production:

- ``api/commerce/`` with the exact patterns of ``lms/djangoapps/commerce/api/{v0,v1}/urls.py``
  (the retired ecommerce service's proxy: baskets, course list/detail, order detail);
- ``commerce/checkout/{cancel,error,receipt}/`` of older releases' ``lms/djangoapps/commerce/urls.py``;
- whole prefixes the LMS owns (``api/enrollment/``, ``api/user/``, ``api/courses/``,
  ``api/course_modes/``, ``course_modes/``, ``dashboard``, ``courses/``) as catch-alls after the
  sandbox's own stand-ins: anything under them (ending in a slash) that the sandbox does not serve
  is the LMS's, not a plugin's. A catch-all is stricter than the LMS's own patterns, which is the point.

Each stand-in answers 404 with a JSON body naming the LMS view the path would reach, and the
``X-Sandbox-LMS-Route`` header, so a test (or a curious person) can tell a shadowed route at once.
"""
from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.urls import URLPattern, re_path

from sandbox.lms.urls import COURSE_ID_PATTERN

__all__ = ["ROUTE_HEADER", "urlpatterns"]

ROUTE_HEADER = "X-Sandbox-LMS-Route"


def _owned_by_the_lms(route: str):
    """A view that says "the real LMS answers this path with ``route``"."""

    def view(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
        response = JsonResponse(
            {
                "detail": f"In a real LMS this path is served by the LMS's own {route}, not by a plugin.",
                "lms_route": route,
            },
            status=404,
        )
        response[ROUTE_HEADER] = route
        return response

    view.lms_route = route  # type: ignore[attr-defined]
    view.__name__ = f"lms_core_{route.replace('.', '_').replace(':', '_')}"
    return view


def _route(regex: str, route: str) -> URLPattern:
    return re_path(regex, _owned_by_the_lms(route), name=f"lms-core-{route.replace(':', '-')}")


# Order number as lms/djangoapps/commerce/api/v0/urls.py and v1/urls.py match it.
_ORDER_NUMBER = r"(?P<number>[-\w]+)"

urlpatterns = [
    # lms/urls.py: path('api/commerce/', include('lms.djangoapps.commerce.api.urls', namespace='commerce_api'))
    _route(r"^api/commerce/v0/baskets/$", "commerce_api:v0:baskets:create"),
    _route(r"^api/commerce/v0/baskets/(?P<basket_id>[\w]+)/order/$", "commerce_api:v0:baskets:retrieve_order"),
    _route(r"^api/commerce/v1/courses/$", "commerce_api:v1:courses:list"),
    _route(rf"^api/commerce/v1/courses/{COURSE_ID_PATTERN}/$", "commerce_api:v1:courses:retrieve_update"),
    _route(rf"^api/commerce/v1/orders/{_ORDER_NUMBER}/$", "commerce_api:v1:orders:detail"),
    # Older releases' lms/urls.py: path('commerce/', include('lms.djangoapps.commerce.urls'))
    _route(r"^commerce/checkout/cancel/$", "commerce:checkout_cancel"),
    _route(r"^commerce/checkout/error/$", "commerce:checkout_error"),
    _route(r"^commerce/checkout/receipt/$", "commerce:checkout_receipt"),
    # Whole prefixes of lms/urls.py the plugin must stay out of. Only paths that end in a slash:
    # a slash-less path must still miss here, so Django's APPEND_SLASH redirect works as in the LMS.
    _route(r"^api/enrollment/v1/.*/$", "enrollment_api"),
    _route(r"^api/user/.*/$", "user_api"),
    _route(r"^api/courses/.*/$", "course_api"),
    _route(r"^api/course_modes/.*/$", "course_modes_api"),
    _route(r"^course_modes/.*/$", "course_modes"),
    _route(r"^dashboard/?$", "dashboard"),
    _route(r"^dashboard/.*/$", "learner_dashboard"),
    _route(r"^courses/?$", "courses"),
    _route(r"^courses/.*/$", "courseware"),
]
