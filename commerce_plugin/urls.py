"""All plugin URLs, mounted by the LMS through ``plugin_app["url_config"]``.

The REST API lives under ``api/commerce_plugin/`` and learner/staff pages and webhooks under
``commerce/``: unique prefixes, because the LMS mounts plugin URLs after its own.
"""
from __future__ import annotations

from django.urls import include, path

from commerce_plugin.webhooks.views import stripe_webhook

urlpatterns = [
    path("commerce/webhooks/stripe/", stripe_webhook, name="stripe-webhook"),
    path("api/commerce_plugin/", include("commerce_plugin.rest_api.urls")),
    path("commerce/", include("commerce_plugin.pages.urls")),
]
