"""Routes of the pages under ``/commerce/``."""
from __future__ import annotations

from django.urls import path

from commerce_plugin.pages import views

urlpatterns = [
    path("status/", views.status_page, name="status"),
]
