"""Errors of the plugin, named by who is at fault.

- :class:`CommerceRequestError`: the caller's fault (bad input, a move the rules forbid).
- :class:`CommerceInternalError`: ours (misconfiguration, a broken invariant).
- :class:`UpstreamError`: someone else's (the LMS, Stripe). Its ``transient`` flag tells a task
  whether to retry later (timeouts, refused connections, 5xx, 429) or to park the work as failed
  (4xx: retrying the same request would get the same answer).

Only the HTTP edge (``rest_api``) turns these into status codes. Messages carry ids, never PII
or secrets, so they are safe to log and to store on a sync record.
"""
from __future__ import annotations

__all__ = [
    "CommerceError",
    "CommerceInternalError",
    "CommerceRequestError",
    "LmsError",
    "LmsNotConfigured",
    "LmsRejected",
    "LmsUnavailable",
    "UpstreamError",
]


class CommerceError(Exception):
    """Base class of every error the plugin raises on purpose."""


class CommerceRequestError(CommerceError):
    """The caller asked for something invalid; repeating the request will not help."""


class CommerceInternalError(CommerceError):
    """Something is wrong on our side (configuration, invariant)."""


class UpstreamError(CommerceError):
    """A remote system (LMS, Stripe) failed or refused. ``transient`` says whether a retry may succeed."""

    transient: bool = False


class LmsError(UpstreamError):
    """An LMS call did not give the answer we needed.

    Attributes:
        operation: our name of the call (``"enroll"``, ``"get_enrollment"``...), for logs and records.
        status_code: the LMS's HTTP status, or ``None`` when no response arrived.
        detail: the LMS's message (``message``/``detail`` of its JSON body), or a description of
            the transport failure.
    """

    def __init__(self, operation: str, detail: str, *, status_code: int | None = None) -> None:
        self.operation = operation
        self.status_code = status_code
        self.detail = detail
        status = f" status={status_code}" if status_code is not None else ""
        super().__init__(f"LMS {operation} failed:{status} {detail}")


class LmsUnavailable(LmsError):
    """Transient: timeout, refused connection, 5xx or 429. Retry later with backoff.

    ``retry_after`` carries the LMS's ``Retry-After`` hint in seconds (429), when it sent one.
    """

    transient = True

    def __init__(
        self, operation: str, detail: str, *, status_code: int | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(operation, detail, status_code=status_code)
        self.retry_after = retry_after


class LmsRejected(LmsError):
    """Permanent: the LMS answered 4xx (bad request, forbidden, unknown user...). Do not retry as is."""

    transient = False


class LmsNotConfigured(LmsError):
    """Permanent until an operator acts: the LMS URL or OAuth credentials are not set."""

    transient = False
