"""The refund policy as code: a decision with a reason code, which pages and the API show as is.

A learner's full refund is granted automatically when all of these hold:

1. the order is paid (``paid`` or ``fulfilled``) and has something left to refund;
2. no refund was requested for it before (one learner refund per order);
3. now is before the end of the window: ``COMMERCE_REFUND_WINDOW_DAYS`` (or the product's own
   window) counted from the later of the payment and the course run's start (so a learner who
   buys months ahead keeps the window until the course has begun);
4. the learner has not earned a certificate in the course run (asked of the LMS's Certificates
   API v0 with the service JWT). When the LMS cannot tell, ``COMMERCE_REFUND_ALLOW_UNVERIFIED_
   CERTIFICATE`` decides, and the reason says it was not verified.

Otherwise the answer carries the first reason that fails; requests with a reason that staff may
overrule (window closed, certificate) wait for a staff decision. The LMS is asked outside any
database transaction; callers re-check the database parts under the order's row lock.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.core.cache import cache
from django.utils import timezone

from commerce_plugin.adapters.lms import LmsClient
from commerce_plugin.conf import get_setting
from commerce_plugin.data import OrderStatus, RefundDecision, RefundReason
from commerce_plugin.errors import LmsError
from commerce_plugin.models import Order
from commerce_plugin.payments.ledger import balance

__all__ = ["course_start", "evaluate", "refund_window_end"]

log = logging.getLogger(__name__)

PAID_STATUSES = (OrderStatus.PAID.value, OrderStatus.FULFILLED.value)
#: Reasons a staff member may overrule; the learner's request waits for them.
REVIEWABLE = (RefundReason.WINDOW_CLOSED, RefundReason.CERTIFICATE_EARNED, RefundReason.CERTIFICATE_UNVERIFIABLE)
_COURSE_START_TTL = 600


def course_start(course_key: object, client: LmsClient | None = None) -> datetime | None:
    """The course run's start from the LMS (cached ten minutes); ``None`` if unknown or unreachable."""
    key = f"commerce_plugin.course_start.{course_key}"
    cached = cache.get(key)
    if cached is not None:
        return cached or None
    try:
        details = (client or LmsClient.from_settings()).get_course_details(str(course_key))
    except LmsError as exc:
        log.warning("refund_policy course_id=%s course_start=unknown error=%s", course_key, type(exc).__name__)
        return None
    start = details.course_start if details else None
    cache.set(key, start or "", _COURSE_START_TTL)
    return start


def refund_window_end(order: Order, *, client: LmsClient | None = None) -> datetime | None:
    """When the learner's refund window closes, or ``None`` for an unpaid order."""
    if order.paid_at is None:
        return None
    days = order.product.refund_window_days
    if days is None:
        days = get_setting("COMMERCE_REFUND_WINDOW_DAYS")
    start = order.paid_at
    begins = course_start(order.course_key, client)
    if begins is not None and begins > start:
        start = begins
    return start + timedelta(days=days)


def _certificate_earned(order: Order, client: LmsClient, *, cached: bool) -> bool:
    """Whether the buyer earned a certificate in the run, from the LMS.

    With ``cached`` (a page showing the decision), a successful answer is reused for
    ``COMMERCE_CERTIFICATE_CACHE_SECONDS``: a receipt reloaded or polled must not call the LMS on
    every view. Acting on a request never uses the cache, and failures (``LmsError``) are not cached.
    """
    seconds = get_setting("COMMERCE_CERTIFICATE_CACHE_SECONDS") if cached else 0
    key = f"commerce_plugin.certificate_earned.{order.user.username}.{order.course_key}"
    if seconds:
        known = cache.get(key)
        if known is not None:
            return bool(known)
    certificate = client.get_certificate(order.user.username, str(order.course_key))
    earned = certificate is not None and certificate.earned
    if seconds:
        cache.set(key, int(earned), seconds)
    return earned


def evaluate(order: Order, *, now: datetime | None = None, client: LmsClient | None = None,
             cached_certificate: bool = False) -> RefundDecision:
    """Decide whether the order's buyer gets a full refund now, and say why (see module docstring).

    ``cached_certificate`` lets a page reuse a recent certificate answer (see :func:`_certificate_earned`).
    """
    now = now or timezone.now()
    amount = balance(order).left_to_refund if order.status in PAID_STATUSES else 0

    def no(reason: RefundReason, until: datetime | None = None) -> RefundDecision:
        return RefundDecision(False, reason, until, amount, order.currency,
                              can_request_refund=reason in REVIEWABLE)

    if order.status in PAID_STATUSES and order.amount == 0:
        return no(RefundReason.NOTHING_TO_REFUND)  # a free product
    if order.status == OrderStatus.REFUNDED.value or (order.status in PAID_STATUSES and amount == 0):
        return no(RefundReason.ALREADY_REFUNDED)
    if order.status == OrderStatus.REFUND_PENDING.value:
        return no(RefundReason.ALREADY_REQUESTED)
    if order.status not in PAID_STATUSES:
        return no(RefundReason.NOT_PAID)
    if order.refunds.filter(source="learner").exists():
        return no(RefundReason.ALREADY_REQUESTED)
    client = client or LmsClient.from_settings()
    until = refund_window_end(order, client=client)
    if until is not None and now >= until:
        return no(RefundReason.WINDOW_CLOSED, until)
    try:
        earned = _certificate_earned(order, client, cached=cached_certificate)
    except LmsError as exc:
        log.warning("refund_policy order=%s certificate=unverifiable error=%s", order.number, type(exc).__name__)
        if get_setting("COMMERCE_REFUND_ALLOW_UNVERIFIED_CERTIFICATE"):
            return RefundDecision(True, RefundReason.ELIGIBLE_CERTIFICATE_UNVERIFIED, until, amount, order.currency,
                                  can_request_refund=True)
        return no(RefundReason.CERTIFICATE_UNVERIFIABLE, until)
    if earned:
        return no(RefundReason.CERTIFICATE_EARNED, until)
    return RefundDecision(True, RefundReason.ELIGIBLE, until, amount, order.currency, can_request_refund=True)
