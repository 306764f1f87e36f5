"""Arming and clearing injected faults.

Tests and the demo use these to make the LMS answer 503, 429 or hang for the next N matching calls,
so the plugin's retry, back-off and timeout paths run against real HTTP.
"""
from __future__ import annotations

from sandbox.lms.models import Fault

VALID_KINDS = (Fault.KIND_503, Fault.KIND_429, Fault.KIND_STALL)


def arm_fault(kind: str, count: int, *, path_prefix: str = "/api/", stall_seconds: float = 5.0) -> Fault:
    """Make the next ``count`` requests whose path starts with ``path_prefix`` suffer ``kind``."""
    kind = str(kind)
    if kind not in VALID_KINDS:
        raise ValueError(f"Unknown fault kind {kind!r}; expected one of {', '.join(VALID_KINDS)}.")
    if int(count) < 1:
        raise ValueError("A fault needs a count of at least 1.")
    if float(stall_seconds) < 0:
        raise ValueError("stall_seconds cannot be negative.")
    return Fault.objects.create(
        kind=kind, remaining=int(count), path_prefix=path_prefix, stall_seconds=float(stall_seconds)
    )


def clear_faults() -> None:
    """Disarm every fault."""
    Fault.objects.all().delete()
