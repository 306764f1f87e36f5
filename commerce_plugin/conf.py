"""Read plugin settings at call time.

``get_setting`` is the only way plugin code reads its own settings: it fails loudly on an
undeclared name (a typo would otherwise read ``None`` forever) and falls back to the registry's
default when the host never ran our ``plugin_settings`` (e.g. a bare ``override_settings``).
"""
from __future__ import annotations

from typing import Any

from django.conf import settings

from commerce_plugin.settings.registry import SETTINGS_BY_NAME

__all__ = ["get_setting", "lms_base_url"]


def get_setting(name: str) -> Any:
    """Return the current value of a declared plugin setting.

    Raises:
        KeyError: ``name`` is not declared in :mod:`commerce_plugin.settings.registry`.
    """
    spec = SETTINGS_BY_NAME[name]
    return getattr(settings, name, spec.default)


def lms_base_url() -> str:
    """The LMS root URL for API calls: ``COMMERCE_LMS_BASE_URL``, else the host's ``LMS_ROOT_URL``."""
    url = get_setting("COMMERCE_LMS_BASE_URL") or getattr(settings, "LMS_ROOT_URL", "") or ""
    return url.rstrip("/")


#: Words that mark a secret as not really set (Tutor and docker-compose templates use them).
_PLACEHOLDER_WORDS = ("changeme", "change-me", "placeholder", "dummy", "example", "xxx", "sk_missing")


def secret_looks_unset(value: object) -> bool:
    """Whether a secret setting is empty or a placeholder (the system check and ``commerce_check`` agree)."""
    text = str(value or "").strip().lower()
    return not text or any(word in text for word in _PLACEHOLDER_WORDS)
