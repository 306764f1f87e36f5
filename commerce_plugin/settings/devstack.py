"""Settings for developer LMS environments (Open edX settings type ``devstack``; Tutor dev too)."""
from __future__ import annotations

from typing import Any

from commerce_plugin.settings import common


def plugin_settings(settings: Any) -> None:
    """Same defaults as ``common``: a developer LMS calls itself at ``LMS_ROOT_URL`` like production."""
    common.plugin_settings(settings)
