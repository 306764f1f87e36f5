"""``manage.py lms commerce_lms_check [--course KEY]``: prove the plugin can talk to the LMS.

Gets (or reuses) the service JWT and, with ``--course``, lists that course run's enrollments
through the enrollment API: the same path every enrollment the plugin makes will take.
Exit status 1 when the LMS cannot be reached or refuses, so it works in scripts and init jobs.
"""
from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from commerce_plugin import api
from commerce_plugin.errors import LmsError


class Command(BaseCommand):
    """Check the LMS connection and optionally list a course's enrollments."""

    help = "Check the plugin's LMS connection (service token) and list a course run's enrollments."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--course", help="course key, e.g. course-v1:Org+Course+Run")

    def handle(self, *args: Any, **options: Any) -> None:
        check = api.check_lms_connection()
        self.stdout.write(f"LMS: {check.base_url}")
        if check.service_username is not None:
            self.stdout.write(f"Service user: {check.service_username} (staff: {check.service_is_staff})")
            expires = check.token_expires_at.isoformat() if check.token_expires_at else "-"
            self.stdout.write(f"Token valid until: {expires}")
        if not check.ok:
            raise CommandError(f"LMS connection not usable: {check.error}")
        course = options.get("course")
        if not course:
            return
        try:
            enrollments = api.lms_course_enrollments(course)
        except LmsError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{len(enrollments)} enrollment(s) in {course}:")
        for item in enrollments:
            state = "active" if item.is_active else "inactive"
            self.stdout.write(f"  {item.username:<24} {item.mode:<14} {state}")
