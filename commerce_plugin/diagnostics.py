"""Diagnostics: is the plugin installed, which version, and can it reach the LMS as it must?

Operators need one answer to "is it wired correctly?" before the first sale; the health endpoint,
the status page and the ``commerce_lms_check`` command all ask here.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from commerce_plugin import __version__
from commerce_plugin.adapters.lms import LmsClient
from commerce_plugin.adapters.stripe_gateway import PaymentGatewayError, StripeGateway
from commerce_plugin.conf import get_setting, lms_base_url, secret_looks_unset
from commerce_plugin.data import LmsConnectionCheck, LmsEnrollmentSnapshot, PluginStatus, ProductionCheck
from commerce_plugin.errors import LmsError
from commerce_plugin.models import JobRun, Product, StripeEvent
from commerce_plugin.models.jobs import PERIODIC_JOBS

__all__ = ["check_lms_connection", "get_plugin_status", "lms_course_enrollments", "production_checks"]


def check_lms_connection() -> LmsConnectionCheck:
    """Obtain (or reuse) the service token and report who it authenticates.

    Never raises for LMS trouble: the failure is the answer, in ``error``.
    """
    base_url = lms_base_url()
    try:
        info = LmsClient.from_settings().token_info()
    except LmsError as exc:
        return LmsConnectionCheck(ok=False, base_url=base_url, error=str(exc))
    error = None if info.is_staff else "the service user is not staff: enrollment calls will be refused"
    return LmsConnectionCheck(
        ok=bool(info.is_staff),
        base_url=base_url,
        service_username=info.username,
        service_is_staff=info.is_staff,
        token_expires_at=info.expires_at,
        error=error,
    )


def get_plugin_status(*, check_lms: bool = False) -> PluginStatus:
    """The plugin's name and version, and the LMS connection check when ``check_lms`` is set."""
    return PluginStatus(
        name="commerce_plugin",
        version=__version__,
        lms=check_lms_connection() if check_lms else None,
    )


def lms_course_enrollments(course_id: str) -> list[LmsEnrollmentSnapshot]:
    """Every enrollment of a course run, read from the LMS through the enrollment API.

    Raises:
        LmsUnavailable: transient LMS failure.
        LmsRejected: the LMS refused (unknown course key format, service user not staff...).
    """
    return [
        LmsEnrollmentSnapshot(
            username=item.username,
            course_id=str(item.course_id),
            mode=item.mode,
            is_active=item.is_active,
            created=item.created,
        )
        for item in LmsClient.from_settings().iter_course_enrollments(course_id)
    ]


#: A periodic job that has not run for this long is reported (they are meant to run every minute).
JOB_STALE_AFTER = timedelta(minutes=10)
def production_checks(*, now: datetime | None = None, lms: LmsConnectionCheck | None = None) -> list[ProductionCheck]:
    """Everything a first sale needs, each with what to fix (``commerce_check``, the status page).

    ``lms`` is an LMS connection check the caller already made (the status page), reused as is.
    Never raises for LMS or Stripe trouble: each failure is a line of the answer.
    """
    now = now or timezone.now()
    return [_check_lms(lms or check_lms_connection()), _check_stripe_key(), *_check_webhook(), *_check_jobs(now),
            _check_products()]


def _check_lms(check: LmsConnectionCheck) -> ProductionCheck:
    if check.ok:
        return ProductionCheck("lms", True, f"{check.base_url}: service user {check.service_username} is staff")
    return ProductionCheck(
        "lms", False, f"{check.base_url}: {check.error}",
        "Set COMMERCE_LMS_BASE_URL to where this LMS reaches itself, create the service user with "
        "manage_user --staff and its client-credentials application (README, step 2).")


def _check_stripe_key() -> ProductionCheck:
    key = str(get_setting("COMMERCE_STRIPE_SECRET_KEY") or "")
    if secret_looks_unset(key):
        return ProductionCheck("stripe_key", False, "COMMERCE_STRIPE_SECRET_KEY is not set",
                               "Set COMMERCE_STRIPE_SECRET_KEY to the secret key (sk_live_... or sk_test_...).")
    try:
        livemode, account_id = StripeGateway.from_settings().account_summary()
    except PaymentGatewayError as exc:
        return ProductionCheck("stripe_key", False, f"Stripe refused or could not be reached: {exc}",
                               "Check the key in the Stripe dashboard (Developers > API keys).")
    mode = "live" if livemode else "test"
    return ProductionCheck("stripe_key", True, f"key accepted, {mode} mode, account {account_id or 'unknown'}")


def _check_webhook() -> list[ProductionCheck]:
    secret = str(get_setting("COMMERCE_STRIPE_WEBHOOK_SECRET") or "")
    checks = [ProductionCheck("webhook_secret", True, "COMMERCE_STRIPE_WEBHOOK_SECRET is set")
              if not secret_looks_unset(secret) else
              ProductionCheck("webhook_secret", False, "COMMERCE_STRIPE_WEBHOOK_SECRET is not set",
                              "Add the endpoint /commerce/webhooks/stripe/ in Stripe and copy its signing secret.")]
    last = StripeEvent.objects.order_by("-received_at", "-id").first()
    if last is None:
        checks.append(ProductionCheck("last_webhook", False, "no webhook received yet",
                                      "Send a test event from the Stripe dashboard to /commerce/webhooks/stripe/."))
    else:
        verified = last.type != "rejected"
        checks.append(ProductionCheck(
            "last_webhook", verified,
            f"last at {last.received_at:%Y-%m-%d %H:%M:%S} UTC, {last.type}, "
            f"{'verified' if verified else 'signed but unreadable: ' + last.error}",
            "" if verified else "See the rejected event in the admin (Commerce > Stripe events)."))
    checks.append(_check_webhook_backlog())
    return checks


#: A stored event not applied after this long means no worker and no sweep is running.
WEBHOOK_BACKLOG_AFTER = timedelta(minutes=10)


def _check_webhook_backlog() -> ProductionCheck:
    """Parked events (staff must act) and events waiting too long (nothing is applying them)."""
    now = timezone.now()
    parked = StripeEvent.objects.filter(processed_at__isnull=True, parked_at__isnull=False).count()
    late = StripeEvent.objects.filter(processed_at__isnull=True, parked_at__isnull=True,
                                      received_at__lt=now - WEBHOOK_BACKLOG_AFTER).count()
    if parked:
        return ProductionCheck("webhook_backlog", False, f"{parked} Stripe event(s) parked after repeated failures",
                               "Read the error on each parked event in the admin (Commerce > Stripe events, "
                               "status: parked), fix the cause, then use the action \"Retry\".")
    if late:
        return ProductionCheck("webhook_backlog", False,
                               f"{late} Stripe event(s) stored more than 10 minutes ago and not applied",
                               "Run a Celery worker for the LMS and Celery beat (process_due_webhooks), or the "
                               "commerce_webhooks command from cron every minute.")
    return ProductionCheck("webhook_backlog", True, "every stored Stripe event is applied or queued")


def _check_jobs(now: datetime) -> list[ProductionCheck]:
    runs = {run.name: run for run in JobRun.objects.filter(name__in=PERIODIC_JOBS)}
    checks = []
    for name in PERIODIC_JOBS:
        run = runs.get(name)
        fix = ("Run Celery beat with the plugin's tasks, or the commerce_sync, commerce_refunds, commerce_webhooks and "
               "commerce_expire_orders commands from cron, every minute (README, step 6).")
        if run is None:
            checks.append(ProductionCheck(f"job:{name}", False, "never ran", fix))
        elif now - run.last_run_at > JOB_STALE_AFTER:
            checks.append(ProductionCheck(f"job:{name}", False,
                                          f"last ran {run.last_run_at:%Y-%m-%d %H:%M:%S} UTC", fix))
        else:
            checks.append(ProductionCheck(f"job:{name}", True,
                                          f"last ran {run.last_run_at:%Y-%m-%d %H:%M:%S} UTC ({run.last_outcome})"))
    return checks


def _check_products() -> ProductionCheck:
    """Products on sale whose course run or mode the LMS does not have (the learner would pay in vain)."""
    client = LmsClient.from_settings()
    missing = []
    by_course: dict[str, list[Product]] = {}
    for product in Product.objects.filter(is_active=True).order_by("course_key", "mode"):
        by_course.setdefault(str(product.course_key), []).append(product)
    try:
        for course_id, products in by_course.items():
            details = client.get_course_details(course_id)
            modes = {mode.slug for mode in details.modes} if details else set()
            missing += [f"{product.title} ({course_id}, {product.mode})" for product in products
                        if details is None or product.mode not in modes]
    except LmsError as exc:
        return ProductionCheck("products", False, f"could not ask the LMS about the course runs: {exc}",
                               "Fix the LMS connection first.")
    if missing:
        return ProductionCheck("products", False, "not in the LMS: " + "; ".join(missing),
                               "Create the course run or mode in the LMS, or withdraw the product.")
    return ProductionCheck("products", True, f"{sum(map(len, by_course.values()))} product(s) on sale, "
                                             "every course run and mode exists in the LMS")
