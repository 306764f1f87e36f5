"""Filter pipeline steps used by the sandbox LMS tests (referenced by dotted path in settings)."""
from __future__ import annotations

from openedx_filters.filters import PipelineStep
from openedx_filters.learning.filters import CourseEnrollmentStarted


class RefuseAllStep(PipelineStep):
    """Refuse every enrollment, as a plugin's access rule would."""

    def run_filter(self, user, course_key, mode):  # pylint: disable=arguments-differ
        raise CourseEnrollmentStarted.PreventEnrollment("Enrollment refused by the test pipeline.")


class ForceHonorStep(PipelineStep):
    """Rewrite the requested mode to honor, recording what the step saw."""

    seen_modes: list = []

    def run_filter(self, user, course_key, mode):  # pylint: disable=arguments-differ
        ForceHonorStep.seen_modes.append(mode)
        return {"user": user, "course_key": course_key, "mode": "honor"}
