"""Django system checks (``manage.py check``, and every LMS start-up): secrets missing in production.

A production LMS with an empty or placeholder Stripe key, webhook secret or LMS client secret
starts fine and fails at the first sale; a warning at start-up is where an operator looks. In
development (``DEBUG``) the sandbox's embedded test values are expected, so nothing is said.
"""
from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Warning as CheckWarning

from commerce_plugin.conf import secret_looks_unset

__all__ = ["check_enrollment_gate", "check_production_secrets"]

_SECRETS = {
    "COMMERCE_STRIPE_SECRET_KEY": ("commerce_plugin.W001", "the Stripe secret key (sk_live_...)"),
    "COMMERCE_STRIPE_WEBHOOK_SECRET": ("commerce_plugin.W002", "the webhook endpoint's signing secret (whsec_...)"),
    "COMMERCE_LMS_OAUTH_CLIENT_SECRET": ("commerce_plugin.W003", "the service application's client secret"),
}
def check_production_secrets(app_configs: Any = None, **kwargs: Any) -> list[CheckWarning]:
    """Warn, outside ``DEBUG``, about each plugin secret that is empty or a placeholder."""
    if getattr(settings, "DEBUG", False):
        return []
    warnings = []
    for name, (check_id, what) in _SECRETS.items():
        if secret_looks_unset(getattr(settings, name, "")):
            warnings.append(CheckWarning(
                f"{name} is missing or a placeholder: the plugin cannot take payments or enroll learners.",
                hint=f"Set {name} to {what}; with Tutor: tutor config save --set {name}=...",
                id=check_id))
    key = str(getattr(settings, "COMMERCE_STRIPE_SECRET_KEY", "") or "")
    if key.startswith(("sk_test_", "rk_test_")):
        warnings.append(CheckWarning(
            "COMMERCE_STRIPE_SECRET_KEY is a test-mode key: learners cannot pay with real cards.",
            hint="Use the live key (sk_live_...) when the platform opens for sales.", id="commerce_plugin.W004"))
    return warnings


def check_enrollment_gate(app_configs: Any = None, **kwargs: Any) -> list[CheckWarning]:
    """Warn when the enrollment gate is on but missing from the filter pipeline, or fails silently.

    ``plugin_settings`` installs it; an operator's settings applied later may replace
    ``OPEN_EDX_FILTERS_CONFIG`` wholesale, or keep ``fail_silently: True``, which would let
    everyone into sold courses whenever the step raises.
    """
    from commerce_plugin.settings.common import ENROLLMENT_STARTED, GATE_STEP

    if not getattr(settings, "COMMERCE_ENROLLMENT_GATE", True):
        return []
    entry = (getattr(settings, "OPEN_EDX_FILTERS_CONFIG", None) or {}).get(ENROLLMENT_STARTED)
    pipeline = entry.get("pipeline", []) if isinstance(entry, dict) else (
        [entry] if isinstance(entry, str) else list(entry or []))
    if GATE_STEP not in pipeline:
        return [CheckWarning(
            f"The enrollment gate is on but {GATE_STEP} is not in OPEN_EDX_FILTERS_CONFIG[{ENROLLMENT_STARTED!r}]: "
            "learners can enroll into sold course runs without paying.",
            hint="Append the step to that pipeline in your settings instead of replacing the dict, "
                 "or set COMMERCE_ENROLLMENT_GATE = False on purpose.", id="commerce_plugin.W005")]
    if not isinstance(entry, dict) or entry.get("fail_silently", True):
        return [CheckWarning(
            "The enrollment gate's filter pipeline has fail_silently on: if the step fails, everyone gets in.",
            hint=f'Set OPEN_EDX_FILTERS_CONFIG[{ENROLLMENT_STARTED!r}]["fail_silently"] = False.',
            id="commerce_plugin.W006")]
    return []
