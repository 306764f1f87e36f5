"""Enrollment domain of the miniature LMS: the decision logic of ``/api/enrollment/v1/``."""
