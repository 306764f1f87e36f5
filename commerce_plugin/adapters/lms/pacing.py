"""A rate limit shared by every process of the plugin, so a fan-out never turns into a 429 storm.

The LMS throttles its enrollment API per user and scope: the plugin's staff service user gets
**120 requests a minute for all enrollment endpoints together** (``EnrollmentUserThrottle``),
whatever the number of workers. Ten thousand enrollments queued at once would otherwise hit that
wall within a second and spend the next hour retrying 429s.

The budget (``COMMERCE_LMS_RATE_LIMIT_PER_MINUTE``, default 100 so there is room for the LMS's
own staff tools) is counted in the Django cache, which every LMS process shares (Redis or
memcached in production), in 10-second buckets of a sixth of the minute's budget each: across a
bucket boundary no 60-second span can see more than 7/6 of the budget, still under the LMS's 120.
A call that finds its bucket full waits for the next bucket when that is soon
(``COMMERCE_LMS_PACE_MAX_WAIT_SECONDS``); otherwise it fails as a transient ``LmsUnavailable``
carrying the wait as ``retry_after``, and the sync engine reschedules it for then.

To raise the LMS's side, an operator can exempt the enrollment views from throttling with the
LMS's ``RateLimitConfiguration`` (Django admin, "Rate limit configuration": uncheck "enabled";
the views carry ``@can_disable_rate_limit``), then raise this setting to match.
"""
from __future__ import annotations

import time
from collections.abc import Callable

from django.core.cache import cache

__all__ = ["BUCKET_SECONDS", "take_slot"]

BUCKET_SECONDS = 10
_KEY = "commerce_plugin.lms_pace.{bucket}"


def _now() -> float:
    return time.time()


def take_slot(limit_per_minute: int, *, clock: Callable[[], float] | None = None) -> float:
    """Take one call's slot: ``0.0`` when taken, else the seconds until the next bucket opens.

    ``limit_per_minute`` of 0 or less means no pacing.
    """
    if limit_per_minute <= 0:
        return 0.0
    now = (clock or _now)()
    bucket = int(now // BUCKET_SECONDS)
    key = _KEY.format(bucket=bucket)
    cache.add(key, 0, timeout=BUCKET_SECONDS * 3)
    try:
        used = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=BUCKET_SECONDS * 3)
        used = 1
    per_bucket = max(1, limit_per_minute * BUCKET_SECONDS // 60)
    if used <= per_bucket:
        return 0.0
    return (bucket + 1) * BUCKET_SECONDS - now
