"""The plugin's openedx-filters pipeline steps (an edge: it asks :mod:`commerce_plugin.api`).

``EnrollmentGateStep`` runs in ``CourseEnrollmentStarted``, which the LMS calls at the top of
``CourseEnrollment.enroll()`` for every enrollment (the enrollment API, the about page's
"Enroll", instructor enrollment, auto-enroll at sign-up). It only reads; see
:mod:`commerce_plugin.access.gate` for what it decides and why.
"""
from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from openedx_filters.filters import PipelineStep
from openedx_filters.learning.filters import CourseEnrollmentStarted

from commerce_plugin import api

__all__ = ["EnrollmentGateStep"]


class EnrollmentGateStep(PipelineStep):
    """Refuse a learner's own enrollment into a protected course run they have no access to."""

    def run_filter(self, user: Any, course_key: Any, mode: str | None) -> dict[str, Any]:  # type: ignore[override]
        decision = api.enrollment_gate(user, course_key)
        if not decision.allowed:
            if decision.buy_url:
                message = _("This course is sold: buy it to enroll ({url}).").format(url=decision.buy_url)
            else:
                message = _("This course is open only to the people its access rules name.")
            raise CourseEnrollmentStarted.PreventEnrollment(message, redirect_to=decision.buy_url)
        return {"user": user, "course_key": course_key, "mode": mode}
