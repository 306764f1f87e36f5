"""Root URLs of the miniature LMS: core routes first, plugin routes last, as ``lms/urls.py`` does."""
from __future__ import annotations

from django.contrib import admin
from django.urls import include, path
from edx_django_utils.plugins import get_plugin_url_patterns

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("sandbox.lms.urls")),
    # The rest of what the real LMS owns (api/commerce/, commerce/checkout/..., whole prefixes),
    # so that a plugin route the LMS would shadow is shadowed here too.
    path("", include("sandbox.lms.core_routes")),
]

# Plugin URLs come after the core routes, so a core route always wins a clash (as in the LMS).
urlpatterns.extend(get_plugin_url_patterns("lms.djangoapp"))
