"""Settings for production LMS environments (Open edX settings type ``production``)."""
from __future__ import annotations

from typing import Any

from commerce_plugin.settings import common
from commerce_plugin.settings.registry import SETTINGS


def plugin_settings(settings: Any) -> None:
    """Apply the defaults, then any value an operator put in the LMS's ``ENV_TOKENS`` (YAML config).

    Recent LMS releases load the YAML straight into the settings module, which ``common`` already
    respects; older ones expose it as ``ENV_TOKENS``, which is read here. Tutor patches run later still.
    """
    common.plugin_settings(settings)
    env_tokens = getattr(settings, "ENV_TOKENS", None) or {}
    for spec in SETTINGS:
        if spec.name in env_tokens:
            value = env_tokens[spec.name]
            if isinstance(spec.default, tuple) and isinstance(value, list):
                value = tuple(value)  # YAML has no tuples
            setattr(settings, spec.name, value)
