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
        name="COMMERCE_LMS_RATE_LIMIT_PER_MINUTE",
        default=100,
        meaning=(
            "Enrollment API calls per minute the plugin allows itself, counted across every LMS "
            "process in the Django cache. The LMS throttles its staff service user at 120 a minute "
            "for all enrollment endpoints together; exempt those views with the LMS's "
            "``RateLimitConfiguration`` before raising this. 0 turns pacing off."
        ),
        example="100",
    ),
    SettingSpec(
        name="COMMERCE_LMS_PACE_MAX_WAIT_SECONDS",
        default=2.0,
        meaning=(
            "How long one LMS call may wait for the pacing budget before it gives up as a transient "
            "failure (the sync is then retried when the budget allows)."
        ),
        example="2.0",
    ),
    SettingSpec(
        name="COMMERCE_RETIREMENT_SIGNAL",
        default="openedx.core.djangoapps.user_api.accounts.signals.USER_RETIRE_LMS_CRITICAL",
        meaning=(
            "Dotted path of the Django signal the LMS sends when it retires a user (GDPR erasure); "
            "the plugin then replaces the person's email in its orders, grants and syncs and keeps "
            "the money records. Connected at start-up when it can be imported; empty turns it off."
        ),
        example='"openedx.core.djangoapps.user_api.accounts.signals.USER_RETIRE_LMS_CRITICAL"',
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

SETTINGS += (
    SettingSpec(
        name="COMMERCE_STRIPE_SECRET_KEY",
        default="",
        meaning="Stripe secret API key (``sk_live_...`` or ``sk_test_...``). Never logged.",
        example='"sk_test_..."',
        secret=True,
    ),
    SettingSpec(
        name="COMMERCE_STRIPE_WEBHOOK_SECRET",
        default="",
        meaning=(
            "Signing secret of the Stripe webhook endpoint ``/commerce/webhooks/stripe/`` "
            "(``whsec_...``). Events whose signature does not verify are refused with 400."
        ),
        example='"whsec_..."',
        secret=True,
    ),
    SettingSpec(
        name="COMMERCE_STRIPE_API_BASE",
        default=None,
        meaning=(
            "Base URL of the Stripe API. Leave unset for real Stripe; the tests and the sandbox "
            "point it at the localstripe stand-in."
        ),
        example='"http://127.0.0.1:8420"',
    ),
    SettingSpec(
        name="COMMERCE_STRIPE_MAX_NETWORK_RETRIES",
        default=1,
        meaning=(
            "Retries stripe-python makes on connection errors and 5xx. Every call we make that "
            "creates something carries an idempotency key, so a retry cannot create it twice."
        ),
        example="2",
    ),
    SettingSpec(
        name="COMMERCE_STRIPE_TIMEOUT",
        default=20.0,
        meaning="Timeout in seconds of each Stripe API call.",
        example="20.0",
    ),
    SettingSpec(
        name="COMMERCE_WEBHOOK_TOLERANCE_SECONDS",
        default=300,
        meaning="How old a webhook's signed timestamp may be before the event is refused as stale (replay guard).",
        example="300",
    ),
    SettingSpec(
        name="COMMERCE_WEBHOOK_SWEEP_AFTER_SECONDS",
        default=120,
        meaning=(
            "A stored webhook event is applied by a Celery task queued when it arrived. If it is "
            "still not applied after this many seconds (the broker lost the task, no worker ran), "
            "the periodic job ``process_due_webhooks`` applies it."
        ),
        example="120",
    ),
    SettingSpec(
        name="COMMERCE_WEBHOOK_RETRY_BACKOFF_SECONDS",
        default=(60, 3600),
        meaning=(
            "``(first, maximum)`` delay before applying again a webhook event whose processing "
            "failed (Stripe unreachable, the object not found yet); it doubles on each failure."
        ),
        example="(60, 3600)",
    ),
    SettingSpec(
        name="COMMERCE_WEBHOOK_RETRY_MAX_ATTEMPTS",
        default=10,
        meaning=(
            "After this many failed attempts a webhook event is parked: no more automatic retries, "
            "listed in the admin and the production checks, retried by staff."
        ),
        example="10",
    ),
    SettingSpec(
        name="COMMERCE_WEBHOOK_RETRY_MAX_AGE_HOURS",
        default=72,
        meaning=(
            "A webhook event still failing this many hours after it arrived is parked, whatever "
            "its number of attempts (Stripe itself stops retrying after three days)."
        ),
        example="72",
    ),
    SettingSpec(
        name="COMMERCE_SEAT_HOLD_MINUTES",
        default=60,
        meaning=(
            "How long a pending order holds a seat of a product with a seat limit. After it, the "
            "order expires, its Stripe Checkout Session is expired and the seat is released."
        ),
        example="30",
    ),
    SettingSpec(
        name="COMMERCE_SYNC_BACKOFF_SECONDS",
        default=(30, 3600),
        meaning=(
            "``(first, maximum)`` delay before retrying an LMS enrollment call that failed "
            "transiently; the delay doubles on each failure up to the maximum."
        ),
        example="(30, 3600)",
    ),
    SettingSpec(
        name="COMMERCE_ACCOUNT_RECHECK_SECONDS",
        default=3600,
        meaning=(
            "How often the periodic sweep looks again for the LMS account of a person who had none "
            "(safety net for a missed registration event)."
        ),
        example="3600",
    ),
)

SETTINGS += (
    SettingSpec(
        name="COMMERCE_REFUND_WINDOW_DAYS",
        default=14,
        meaning=(
            "Days during which a learner's refund request is approved automatically, counted from "
            "the later of the payment and the course run's start. A product's own refund window "
            "overrides it. Outside the window requests wait for staff."
        ),
        example="30",
    ),
    SettingSpec(
        name="COMMERCE_REFUND_ALLOW_UNVERIFIED_CERTIFICATE",
        default=False,
        meaning=(
            "What the policy does when the LMS cannot say whether the learner earned a certificate "
            "(certificates API unreachable or failing): True treats it as not earned (eligible, "
            "reason ``eligible_certificate_unverified``); False sends the request to staff "
            "(reason ``certificate_unverifiable``)."
        ),
        example="True",
    ),
    SettingSpec(
        name="COMMERCE_CERTIFICATE_CACHE_SECONDS",
        default=60,
        meaning=(
            "How long the receipt and the refund-decision API reuse the LMS's answer to \"has this "
            "learner earned a certificate in this course run\" (Django's cache), so a reloaded or "
            "polled page does not call the LMS each time. A refund request always asks the LMS afresh; "
            "failures are never cached. 0 turns the cache off."
        ),
        example="300",
    ),
    SettingSpec(
        name="COMMERCE_AUTO_REFUND_ON_UNENROLL",
        default=False,
        meaning=(
            "When the LMS reports that a learner unenrolled from a course run they bought, refund "
            "the order automatically if the refund policy allows it (inside the window, no certificate)."
        ),
        example="True",
    ),
    SettingSpec(
        name="COMMERCE_ENROLLMENT_GATE",
        default=True,
        meaning=(
            "Refuse a learner's own enrollment into a protected course run (a product on sale, or a "
            "private access rule) unless they hold a grant in force or a public rule is open. The "
            "plugin adds its ``CourseEnrollmentStarted`` step to ``OPEN_EDX_FILTERS_CONFIG``; False "
            "keeps the step installed but lets every enrollment through."
        ),
        example="False",
    ),
    SettingSpec(
        name="COMMERCE_ACCESS_DEFAULT_MODE",
        default="audit",
        meaning="Course mode an access rule grants when the rule does not name one.",
        example='"verified"',
    ),
    SettingSpec(
        name="COMMERCE_ACCESS_INLINE_SYNC_LIMIT",
        default=200,
        meaning=(
            "A workgroup or rule change that affects at most this many people queues their "
            "enrollment syncs at once; a larger fan-out is left to the periodic ``process_due_syncs`` "
            "sweep, so one request never queues thousands of tasks."
        ),
        example="1000",
    ),
    SettingSpec(
        name="COMMERCE_ACCESS_INVITATION_EMAIL",
        default=True,
        meaning=(
            "Email a sign-up invitation to a person provisioned through the API who has no LMS "
            "account yet (once per person). Their grants make the LMS enroll them at sign-up."
        ),
        example="False",
    ),
    SettingSpec(
        name="COMMERCE_ACCESS_REGISTER_URL",
        default="",
        meaning="Sign-up link of the invitation email; empty means ``LMS_ROOT_URL`` + ``/register``.",
        example='"https://apps.lms.example.com/authn/register"',
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
