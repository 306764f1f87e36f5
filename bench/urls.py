"""The sandbox's URLs plus the baseline view the benchmark compares the webhook against."""
from __future__ import annotations

from django.urls import path

from bench.baseline import BaselineWebhookView
from sandbox.urls import urlpatterns as sandbox_urlpatterns

urlpatterns = [path("bench/baseline-webhook/", BaselineWebhookView.as_view()), *sandbox_urlpatterns]
