"""Versions of the REST API."""
from __future__ import annotations

from django.urls import include, path

urlpatterns = [
    path("v1/", include(("commerce_plugin.rest_api.v1.urls", "v1"), namespace="v1")),
]
