"""Routes of REST API v1 (``/api/commerce/v1/...``)."""
from __future__ import annotations

from django.urls import path

from commerce_plugin.rest_api.v1 import views

urlpatterns = [
    path("health/", views.HealthView.as_view(), name="health"),
]
