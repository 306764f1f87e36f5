"""Creating sandbox data: users, course runs with modes, certificates, the plugin's OAuth2 application,
the demo set.

Tests build their fixtures with these helpers and ``sandbox_seed`` builds the demo from them, so the
demo and the tests see the same shapes. ``seed_demo`` is idempotent.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from opaque_keys.edx.keys import CourseKey

from sandbox.lms.models import CourseMode, CourseOverview, GeneratedCertificate, OAuthApplication

MODE_NAMES = {
    "audit": "Audit",
    "honor": "Honor",
    "verified": "Verified Certificate",
    "professional": "Professional Education",
    "no-id-professional": "Professional Education",
    "credit": "Credit",
}

DEMO_COMMERCE_COURSE = "course-v1:SandboxX+Commerce101+2026"
DEMO_STRIPE_COURSE = "course-v1:SandboxX+Stripe201+2026_T2"


def create_user(
    username: str,
    email: str,
    *,
    password: str | None = None,
    staff: bool = False,
    superuser: bool = False,
) -> AbstractBaseUser:
    """Create an active user; without a password the account cannot log in interactively."""
    user = get_user_model()(username=username, email=email, is_staff=staff or superuser, is_superuser=superuser)
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.save()
    return user


def create_course(
    course_id: str,
    *,
    display_name: str = "Demo course",
    modes: Iterable[tuple[str, int, str]] = (("audit", 0, "usd"), ("verified", 4900, "usd")),
    start: datetime | None = None,
    end: datetime | None = None,
    enrollment_start: datetime | None = None,
    enrollment_end: datetime | None = None,
    invitation_only: bool = False,
    max_student_enrollments_allowed: int | None = None,
) -> CourseOverview:
    """Create a course run and its modes (``(slug, min_price in minor units, currency)``)."""
    CourseKey.from_string(course_id)  # raises InvalidKeyError for a malformed key
    with transaction.atomic():
        course = CourseOverview.objects.create(
            course_id=course_id,
            display_name=display_name,
            start=start,
            end=end,
            enrollment_start=enrollment_start,
            enrollment_end=enrollment_end,
            invitation_only=invitation_only,
            max_student_enrollments_allowed=max_student_enrollments_allowed,
        )
        for slug, price, currency in modes:
            CourseMode.objects.create(
                course=course,
                mode_slug=slug,
                mode_display_name=MODE_NAMES.get(slug, slug.title()),
                min_price=price,
                currency=currency,
            )
    return course


def create_service_application(
    client_id: str,
    client_secret: str,
    *,
    username: str = "commerce_service",
    email: str = "commerce_service@example.com",
) -> OAuthApplication:
    """A client-credentials application whose tokens act as a staff service user (``manage_user --staff``)."""
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is None:
        user = create_user(username, email, staff=True)
    elif not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    application, _ = OAuthApplication.objects.update_or_create(
        client_id=client_id,
        defaults={"name": f"{username} (client credentials)", "client_secret": client_secret, "user": user},
    )
    return application


def issue_certificate(
    username: str,
    course_id: str,
    *,
    status: str = GeneratedCertificate.STATUS_DOWNLOADABLE,
    mode: str = "verified",
    grade: str = "0.9",
    download_url: str = "",
) -> GeneratedCertificate:
    """Give ``username`` a certificate in ``course_id`` (or update theirs: one per user and course run).

    ``status`` is any LMS certificate status: ``downloadable`` is an earned certificate, others such
    as ``notpassing`` or ``unavailable`` (revoked) are shown as they are. Without ``download_url``
    it is a web certificate, which the API shows only for a course run the sandbox knows.
    """
    CourseKey.from_string(course_id)  # raises InvalidKeyError for a malformed key
    if status not in dict(GeneratedCertificate.STATUSES):
        raise ValueError(f"Unknown certificate status {status!r}")
    user = get_user_model().objects.get(username=username)
    certificate, _ = GeneratedCertificate.objects.update_or_create(
        user=user,
        course_id=course_id,
        defaults={"status": status, "mode": mode, "grade": grade, "download_url": download_url},
    )
    return certificate


def _ensure_user(username: str, email: str, password: str, *, superuser: bool = False) -> AbstractBaseUser:
    user = get_user_model().objects.filter(username=username).first()
    return user or create_user(username, email, password=password, staff=superuser, superuser=superuser)


def _ensure_course(course_id: str, **kwargs) -> CourseOverview:
    return CourseOverview.objects.filter(course_id=course_id).first() or create_course(course_id, **kwargs)


def seed_demo() -> dict:
    """Create (once) the demo users, two course runs and the plugin's OAuth2 application."""
    now = timezone.now()
    staff = _ensure_user("staff", "staff@example.com", "staff", superuser=True)
    learner = _ensure_user("learner", "learner@example.com", "learner")
    commerce = _ensure_course(
        DEMO_COMMERCE_COURSE,
        display_name="Selling courses with Open edX",
        modes=(("audit", 0, "usd"), ("verified", 4900, "usd")),
        start=now - timedelta(days=7),
    )
    stripe = _ensure_course(
        DEMO_STRIPE_COURSE,
        display_name="Payments with Stripe",
        modes=(("audit", 0, "usd"), ("verified", 9900, "usd"), ("professional", 19900, "usd")),
        start=now + timedelta(days=30),
    )
    application = create_service_application(
        settings.COMMERCE_LMS_OAUTH_CLIENT_ID, settings.COMMERCE_LMS_OAUTH_CLIENT_SECRET
    )
    return {
        "users": [staff.get_username(), learner.get_username(), application.user.get_username()],
        "courses": [commerce.course_id, stripe.course_id],
        "oauth_client_id": application.client_id,
    }
