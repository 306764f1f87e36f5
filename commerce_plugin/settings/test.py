"""Settings for LMS test runs (Open edX settings type ``test``)."""
from __future__ import annotations

from typing import Any

from commerce_plugin.settings import common


def plugin_settings(settings: Any) -> None:
    """Defaults, with short LMS timeouts so a stalled stand-in fails a test in seconds, not minutes."""
    common.plugin_settings(settings)
    settings.COMMERCE_LMS_TIMEOUT = (1.0, 2.0)
