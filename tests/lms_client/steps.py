"""openedx-filters pipeline steps used by the tests to make the miniature LMS refuse enrollment."""
from __future__ import annotations

from openedx_filters.filters import PipelineStep
from openedx_filters.learning.filters import CourseEnrollmentStarted


class RefuseEnrollmentStep(PipelineStep):
    """Refuse every enrollment, as a course gate would."""

    def run_filter(self, user, course_key, mode):  # noqa: D102 - the filter's signature
        raise CourseEnrollmentStarted.PreventEnrollment("Enrollment refused by a test pipeline step.")
