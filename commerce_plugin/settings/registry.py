"""The one list of every setting the plugin reads: name, default, meaning, example.

Why a registry and not loose ``getattr`` calls: the LMS imports plugin apps before its settings
exist, so a module-level ``getattr(settings, ...)`` silently returns the default forever. Code reads
settings through :func:`commerce_plugin.conf.get_setting` at call time, which only accepts names
declared here, and ``docs/settings.rst`` is rendered from this list (a test keeps them in step).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SettingSpec:
    """One documented setting."""

    name: str
    default: Any
    meaning: str
    example: str
    secret: bool = False


SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec(
        name="COMMERCE_LMS_BASE_URL",
        default=None,
        meaning=(
            "Root URL the plugin uses to call the LMS REST APIs and its OAuth2 token endpoint. "
            "The plugin runs inside the LMS but still talks to it over HTTP, as an external service "
            "would. When unset, ``LMS_ROOT_URL`` is used; set it to the LMS's internal address when "
            "the public one is not reachable from the LMS containers."
        ),
        example='"http://lms:8000"',
    ),
    SettingSpec(
        name="COMMERCE_LMS_OAUTH_CLIENT_ID",
        default="",
        meaning=(
            "Client id of the OAuth2 application (grant type client-credentials) whose user is the "
            "plugin's staff service user. Create it with ``manage.py lms create_dot_application``."
        ),
        example='"commerce-plugin-service"',
    ),
    SettingSpec(
        name="COMMERCE_LMS_OAUTH_CLIENT_SECRET",
        default="",
        meaning="Client secret of that OAuth2 application. Never logged.",
        example='"<from your secrets store>"',
        secret=True,
    ),
    SettingSpec(
        name="COMMERCE_LMS_TIMEOUT",
        default=(3.05, 10.0),
        meaning=(
            "``(connect, read)`` timeout in seconds applied to every LMS call, the token request "
            "included. A call that times out is a transient failure and is retried later."
        ),
        example="(3.05, 10.0)",
    ),
    SettingSpec(
        name="COMMERCE_LMS_ENROLLMENTS_MAX_PAGES",
        default=1000,
        meaning=(
            "Safety limit on the pages followed when listing a course's enrollments "
            "(100 enrollments per page on the LMS), so a looping ``next`` link cannot hang a worker."
        ),
        example="1000",
    ),
)

SETTINGS_BY_NAME: dict[str, SettingSpec] = {spec.name: spec for spec in SETTINGS}


def render_rst() -> str:
    """The settings reference (``docs/settings.rst``), rendered from :data:`SETTINGS`.

    Regenerate with ``make docs-settings``; a test fails when the file and this list disagree.
    """
    lines = [
        "Settings",
        "========",
        "",
        "Every setting the plugin reads. Defaults are applied by the plugin's ``plugin_settings``",
        "for each Open edX settings type; any value set in the LMS settings (YAML, Tutor patch) wins.",
        "Settings are read when used, never at import, so changes apply without re-importing.",
        "",
        ".. This file is generated from commerce_plugin/settings/registry.py by ``make docs-settings``.",
        "",
    ]
    for spec in SETTINGS:
        lines += [
            f"``{spec.name}``",
            "-" * (len(spec.name) + 4),
            "",
            spec.meaning,
            "",
            f"- Default: ``{spec.default!r}``",
            f"- Example: ``{spec.name} = {spec.example}``",
        ]
        if spec.secret:
            lines.append("- Secret: keep it out of version control and logs.")
        lines.append("")
    return "\n".join(lines)
