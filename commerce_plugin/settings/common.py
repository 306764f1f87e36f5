"""Settings for every LMS environment (Open edX settings type ``common``)."""
from __future__ import annotations

from typing import Any

from commerce_plugin.settings.registry import SETTINGS


def plugin_settings(settings: Any) -> None:
    """Give every plugin setting its documented default, keeping any value the host already set.

    The LMS calls this at the end of its common settings; production values (YAML, Tutor patches)
    are applied after it and win, which is why we only fill in what is missing.
    """
    for spec in SETTINGS:
        if not hasattr(settings, spec.name):
            setattr(settings, spec.name, spec.default)
