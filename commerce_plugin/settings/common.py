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
    add_enrollment_gate(settings)


#: The openedx-filters type of ``CourseEnrollmentStarted`` and our step in its pipeline.
ENROLLMENT_STARTED = "org.openedx.learning.course.enrollment.started.v1"
GATE_STEP = "commerce_plugin.filters.EnrollmentGateStep"


def add_enrollment_gate(settings: Any) -> None:
    """Append the enrollment gate to ``OPEN_EDX_FILTERS_CONFIG``, keeping the operator's steps.

    A new entry gets ``fail_silently: False``: a gate that fails silently lets everyone in. An
    entry the operator already has keeps its own flag (the system check warns when it is True),
    and the step is added once however often the settings are loaded.
    """
    config = getattr(settings, "OPEN_EDX_FILTERS_CONFIG", None)
    config = dict(config) if isinstance(config, dict) else {}
    entry = config.get(ENROLLMENT_STARTED)
    if isinstance(entry, str):
        entry = {"pipeline": [entry], "fail_silently": True}
    elif isinstance(entry, list):
        entry = {"pipeline": list(entry), "fail_silently": True}
    elif isinstance(entry, dict):
        entry = {**entry, "pipeline": list(entry.get("pipeline") or [])}
    else:
        entry = {"pipeline": [], "fail_silently": False}
    if GATE_STEP not in entry["pipeline"]:
        entry["pipeline"].append(GATE_STEP)
    config[ENROLLMENT_STARTED] = entry
    settings.OPEN_EDX_FILTERS_CONFIG = config
