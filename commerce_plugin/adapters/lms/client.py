"""The LMS client: every call the plugin makes to the LMS goes through :class:`LmsClient`.

Why over HTTP although we run inside the LMS: the enrollment, enrollment_allowed and accounts
APIs are the LMS's supported contract (permissions, filters, events, audit), while its tables and
internal functions change between releases. We call them as any external service would, with a
JWT obtained by OAuth2 client credentials for a staff service user (see docs/decisions/0002).

What this module guarantees to its callers:

- one token per expiry: edx-rest-api-client's ``OAuthAPIClient`` caches the JWT in the Django cache
  (shared by every process on that cache) until shortly before it expires; a 401 on a cached token
  (rotated secret, restarted LMS with a new key) drops it and retries once with a fresh one;
- an explicit ``(connect, read)`` timeout on every request, token request included;
- typed results (:mod:`.data`) and typed errors: :class:`~commerce_plugin.errors.LmsUnavailable`
  for what a retry may fix (timeouts, refused connections, 5xx, 429) and
  :class:`~commerce_plugin.errors.LmsRejected` for what it will not (other 4xx);
- no secret, token or email in logs: log lines carry the operation, course id, status and timing.
"""
from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import jwt
import requests
from edx_django_utils.cache import TieredCache
from edx_rest_api_client.client import OAuthAPIClient
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey

from commerce_plugin.adapters.lms.data import (
    AllowedResult,
    CertificateInfo,
    CourseDetails,
    CourseModeInfo,
    EnrollmentAllowed,
    EnrollmentAttribute,
    LmsAccount,
    LmsEnrollment,
    TokenInfo,
)
from commerce_plugin.adapters.lms.pacing import take_slot
from commerce_plugin.conf import get_setting, lms_base_url
from commerce_plugin.errors import LmsNotConfigured, LmsRejected, LmsUnavailable

__all__ = ["LmsClient"]

log = logging.getLogger(__name__)

ENROLLMENT_API = "/api/enrollment/v1"
ACCOUNTS_API = "/api/user/v1/accounts"
CERTIFICATES_API = "/api/certificates/v0/certificates"
TOKEN_PATH = "/oauth2/access_token"

CourseRef = CourseKey | str


def _course_key(course_id: CourseRef) -> CourseKey:
    """Parse a course key, turning a malformed one into a permanent error before any HTTP call."""
    if isinstance(course_id, CourseKey):
        return course_id
    try:
        return CourseKey.from_string(course_id)
    except InvalidKeyError as exc:
        raise LmsRejected("parse_course_key", f"invalid course key {course_id!r}") from exc


def _parse_datetime(value: str | None) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _json_or_none(response: requests.Response) -> Any:
    """Decode a body that may legitimately be empty (the LMS's "no enrollment" answer)."""
    if not response.content or not response.content.strip():
        return None
    try:
        return response.json()
    except ValueError:
        return None


def _message_of(response: requests.Response) -> str:
    """The LMS's own explanation of an error, short and without echoing request data."""
    body = _json_or_none(response)
    if isinstance(body, dict):
        for key in ("message", "detail", "error_msg", "developer_message", "error"):
            if body.get(key):
                return str(body[key])[:500]
    if body is None and not response.content:
        return "(empty body)"
    return response.text[:200]


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


class LmsClient:
    """A client of the LMS REST APIs, authenticated as the plugin's service user.

    Build it with :meth:`from_settings` (reads the settings now, at call time). Instances are cheap
    and hold a ``requests`` session; the token lives in the Django cache, not in the instance.
    """

    def __init__(
        self,
        base_url: str,
        client_id: str,
        client_secret: str,
        *,
        timeout: tuple[float, float] = (3.05, 10.0),
        max_pages: int = 1000,
        rate_limit_per_minute: int = 0,
        pace_max_wait: float = 2.0,
    ) -> None:
        if not base_url or not client_id or not client_secret:
            raise LmsNotConfigured(
                "configure",
                "set COMMERCE_LMS_BASE_URL (or LMS_ROOT_URL), COMMERCE_LMS_OAUTH_CLIENT_ID "
                "and COMMERCE_LMS_OAUTH_CLIENT_SECRET",
            )
        self.base_url = base_url.rstrip("/")
        self._client_id = client_id
        self.timeout = tuple(timeout)
        self.max_pages = max_pages
        self.rate_limit_per_minute = rate_limit_per_minute
        self.pace_max_wait = pace_max_wait
        # The constructor timeout only covers the token request; every API call passes its own.
        self._session = OAuthAPIClient(self.base_url, client_id, client_secret, timeout=self.timeout)

    @classmethod
    def from_settings(cls) -> LmsClient:
        """A client configured from the current ``COMMERCE_LMS_*`` settings.

        Raises:
            LmsNotConfigured: the LMS URL or the OAuth credentials are missing.
        """
        return cls(
            lms_base_url(),
            get_setting("COMMERCE_LMS_OAUTH_CLIENT_ID"),
            get_setting("COMMERCE_LMS_OAUTH_CLIENT_SECRET"),
            timeout=tuple(get_setting("COMMERCE_LMS_TIMEOUT")),
            max_pages=get_setting("COMMERCE_LMS_ENROLLMENTS_MAX_PAGES"),
            rate_limit_per_minute=int(get_setting("COMMERCE_LMS_RATE_LIMIT_PER_MINUTE")),
            pace_max_wait=float(get_setting("COMMERCE_LMS_PACE_MAX_WAIT_SECONDS")),
        )

    # ------------------------------------------------------------------ enrollments

    def get_enrollment(self, username: str, course_id: CourseRef) -> LmsEnrollment | None:
        """The user's enrollment in the course, active or not; ``None`` when there is none.

        The LMS answers "none" with 200 and an empty body (released code) or ``null`` (master);
        both mean the same here.
        """
        key = _course_key(course_id)
        path = f"{ENROLLMENT_API}/enrollment/{quote(username, safe='@+')},{quote(str(key), safe=':+')}"
        response = self._call("get_enrollment", "GET", path, course_id=key)
        body = _json_or_none(response)
        return self._enrollment(body) if body else None

    def enroll(
        self,
        course_id: CourseRef,
        *,
        username: str | None = None,
        email: str | None = None,
        mode: str | None = None,
        force: bool = False,
        attributes: Iterable[EnrollmentAttribute] = (),
    ) -> LmsEnrollment:
        """Enroll (or re-activate) a learner, named by exactly one of ``username`` or ``email``.

        ``force`` sends ``force_enrollment`` (staff only on the LMS), which skips the enrollment
        window, invite-only and full-course checks: the plugin uses it for access it sold.
        If the learner is already actively enrolled the LMS returns the existing enrollment
        unchanged, so compare ``mode`` when it matters (the sync engine reads before it writes).

        Raises:
            ValueError: neither or both of ``username`` and ``email`` given.
            LmsRejected: the LMS refused (closed course, unknown user (406), filter veto (403)...).
            LmsUnavailable: try again later.
        """
        if (username is None) == (email is None):
            raise ValueError("enroll() needs exactly one of username or email")
        key = _course_key(course_id)
        payload: dict[str, Any] = {"course_details": {"course_id": str(key)}, "is_active": True}
        if username is not None:
            payload["user"] = username
        else:
            payload["email"] = email
        if mode:
            payload["mode"] = mode
        if force:
            payload["force_enrollment"] = True
        attribute_list = [
            {"namespace": item.namespace, "name": item.name, "value": item.value} for item in attributes
        ]
        if attribute_list:
            payload["enrollment_attributes"] = attribute_list
        response = self._call("enroll", "POST", f"{ENROLLMENT_API}/enrollment", json_body=payload, course_id=key)
        return self._enrollment(_json_or_none(response))

    def deactivate(self, username: str, course_id: CourseRef, *, mode: str | None = None) -> LmsEnrollment | None:
        """Deactivate the learner's enrollment; ``None`` when they have none at all.

        The LMS deactivates only on its staff update path and refuses a mode change together with
        ``is_active: false`` ("Enrollment mode mismatch"), so we send the current mode: the one
        given, else the one read from the LMS first. An already inactive enrollment is returned
        without a write.
        """
        key = _course_key(course_id)
        if mode is None:
            current = self.get_enrollment(username, key)
            if current is None:
                return None
            if not current.is_active:
                return current
            mode = current.mode
        payload = {"user": username, "course_details": {"course_id": str(key)}, "mode": mode, "is_active": False}
        response = self._call("deactivate", "POST", f"{ENROLLMENT_API}/enrollment", json_body=payload, course_id=key)
        return self._enrollment(_json_or_none(response))

    def iter_course_enrollments(self, course_id: CourseRef) -> Iterator[LmsEnrollment]:
        """Every enrollment (active and inactive) of a course run, following the ``next`` links.

        Works with both envelopes the LMS has used (cursor and page-number pagination): we only
        read ``results`` and follow ``next``. Stops with :class:`LmsRejected` after
        ``COMMERCE_LMS_ENROLLMENTS_MAX_PAGES`` pages or on a ``next`` link seen before.
        """
        key = _course_key(course_id)
        url: str | None = f"{self.base_url}{ENROLLMENT_API}/enrollments/"
        params: dict[str, str] | None = {"course_id": str(key)}
        seen: set[str] = set()
        for _page in range(self.max_pages):
            if url is None:
                return
            response = self._call("list_enrollments", "GET", url, params=params, course_id=key)
            body = _json_or_none(response) or {}
            for item in body.get("results", []):
                yield LmsEnrollment(
                    username=item["user"],
                    course_id=_course_key(item.get("course_id") or key),
                    mode=item["mode"],
                    is_active=bool(item["is_active"]),
                    created=_parse_datetime(item.get("created")),
                )
            next_url = body.get("next")
            if next_url and next_url in seen:
                raise LmsRejected("list_enrollments", "pagination loops: a next link repeated")
            if next_url:
                seen.add(next_url)
            url, params = next_url, None  # ``next`` already carries the query
        if url is not None:
            raise LmsRejected("list_enrollments", f"more than {self.max_pages} pages")

    def list_course_enrollments(self, course_id: CourseRef) -> list[LmsEnrollment]:
        """All enrollments of a course run as a list (see :meth:`iter_course_enrollments`)."""
        return list(self.iter_course_enrollments(course_id))

    def get_course_details(self, course_id: CourseRef) -> CourseDetails | None:
        """A course run's details and modes (expired modes included); ``None`` for an unknown course."""
        key = _course_key(course_id)
        response = self._call(
            "get_course_details",
            "GET",
            f"{ENROLLMENT_API}/course/{quote(str(key), safe=':+')}",
            params={"include_expired": "1"},
            course_id=key,
            accept=(400,),
        )
        if response.status_code == 400:
            return None
        return self._course_details(_json_or_none(response))

    # ------------------------------------------------------------------ certificates

    def get_certificate(self, username: str, course_id: CourseRef) -> CertificateInfo | None:
        """The learner's certificate record in a course run, or ``None`` when the LMS has none (404).

        Uses the Certificates API v0, which a staff JWT may read for any learner. Callers that
        need to tell "no certificate" from "could not ask" get an :class:`LmsError` for the latter.
        """
        key = _course_key(course_id)
        path = f"{CERTIFICATES_API}/{quote(username, safe='@+')}/courses/{quote(str(key), safe=':+')}/"
        response = self._call("get_certificate", "GET", path, course_id=key, accept=(404,))
        if response.status_code == 404:
            return None
        body = _json_or_none(response) or {}
        return CertificateInfo(
            username=body.get("username") or username,
            course_id=key,
            status=str(body.get("status") or ""),
            mode=str(body.get("certificate_type") or ""),
            created=_parse_datetime(body.get("created_date")),
        )

    # ------------------------------------------------------------------ accounts

    def get_account_by_email(self, email: str) -> LmsAccount | None:
        """The LMS account with this email, or ``None`` (the LMS answers 404 when there is none)."""
        response = self._call("get_account", "GET", ACCOUNTS_API, params={"email": email}, accept=(404,))
        if response.status_code == 404:
            return None
        body = _json_or_none(response)
        items = body if isinstance(body, list) else [body] if body else []
        if not items:
            return None
        item = items[0]
        return LmsAccount(
            username=item["username"],
            email=item.get("email") or email,
            id=item.get("id"),
            is_active=item.get("is_active"),
            name=item.get("name") or "",
        )

    # ------------------------------------------------------------------ enrollment_allowed

    def get_enrollment_allowed(self, email: str) -> list[EnrollmentAllowed]:
        """Every enrollment_allowed record of an email (all courses)."""
        response = self._call("get_enrollment_allowed", "GET", f"{ENROLLMENT_API}/enrollment_allowed/",
                              params={"email": email})
        return [self._allowed(item) for item in (_json_or_none(response) or [])]

    def create_enrollment_allowed(self, email: str, course_id: CourseRef, *, auto_enroll: bool = True) -> AllowedResult:
        """Let this email enroll (and with ``auto_enroll``, be enrolled at sign-up) in a course run.

        A 409 from the LMS means the record is already there: that is success, ``created=False``,
        and the existing record is read back so the caller sees its ``auto_enroll`` flag.
        """
        key = _course_key(course_id)
        payload = {"email": email, "course_id": str(key), "auto_enroll": auto_enroll}
        response = self._call("create_enrollment_allowed", "POST", f"{ENROLLMENT_API}/enrollment_allowed/",
                              json_body=payload, course_id=key, accept=(409,))
        if response.status_code == 409:
            existing = next((item for item in self.get_enrollment_allowed(email) if item.course_id == key), None)
            return AllowedResult(record=existing, created=False)
        return AllowedResult(record=self._allowed(_json_or_none(response)), created=True)

    def delete_enrollment_allowed(self, email: str, course_id: CourseRef) -> bool:
        """Remove an enrollment_allowed record; ``False`` when there was none (LMS 404)."""
        key = _course_key(course_id)
        response = self._call("delete_enrollment_allowed", "DELETE", f"{ENROLLMENT_API}/enrollment_allowed/",
                              json_body={"email": email, "course_id": str(key)}, course_id=key, accept=(404,))
        return response.status_code != 404

    # ------------------------------------------------------------------ token

    def token_info(self) -> TokenInfo:
        """Fetch (or reuse) the service token and report what it grants: a configuration check.

        The claims are read without verifying the signature: we do not hold the LMS's key, and the
        token came straight from the LMS over the connection we trust for everything else.
        """
        try:
            token = self._session.get_jwt_access_token()
        except requests.RequestException as exc:
            raise self._transport_error("token", exc) from exc
        claims = jwt.decode(token, options={"verify_signature": False})
        expires = claims.get("exp")
        return TokenInfo(
            username=claims.get("preferred_username") or claims.get("username"),
            is_staff=claims.get("administrator"),
            expires_at=datetime.fromtimestamp(expires, tz=UTC) if expires else None,
            scopes=tuple(claims.get("scopes") or ()),
        )

    # ------------------------------------------------------------------ plumbing

    def _call(
        self,
        operation: str,
        method: str,
        path_or_url: str,
        *,
        params: dict[str, str] | None = None,
        json_body: Any = None,
        course_id: CourseKey | None = None,
        accept: tuple[int, ...] = (),
    ) -> requests.Response:
        """Send one request and classify the outcome.

        Returns the response for 2xx and for the statuses in ``accept`` (which the operation reads
        as an answer, e.g. 404 "no account"); raises a typed error for anything else.
        """
        url = path_or_url if path_or_url.startswith("http") else f"{self.base_url}{path_or_url}"
        if self._throttled_scope(url):
            self._pace(operation)
        for attempt in (1, 2):
            started = time.monotonic()
            try:
                response = self._session.request(
                    method,
                    url,
                    params=params,
                    data=json.dumps(json_body) if json_body is not None else None,
                    headers={"Content-Type": "application/json"} if json_body is not None else None,
                    timeout=self.timeout,
                )
            except requests.RequestException as exc:
                log.warning("lms_call operation=%s course_id=%s outcome=transport_error error=%s",
                            operation, course_id, type(exc).__name__)
                raise self._transport_error(operation, exc) from exc
            elapsed_ms = int((time.monotonic() - started) * 1000)
            log.info("lms_call operation=%s course_id=%s status=%s elapsed_ms=%s attempt=%s",
                     operation, course_id, response.status_code, elapsed_ms, attempt)
            if response.status_code == 401 and attempt == 1:
                # A cached token the LMS no longer accepts (key rotation, LMS restarted with another
                # secret): forget it and try once more with a fresh one.
                self._forget_token()
                continue
            break
        status = response.status_code
        if 200 <= status < 300 or status in accept:
            return response
        if status == 429 or status >= 500:
            raise LmsUnavailable(operation, _message_of(response), status_code=status,
                                 retry_after=_retry_after(response))
        raise LmsRejected(operation, _message_of(response), status_code=status)

    def _throttled_scope(self, url: str) -> bool:
        """The calls the LMS counts against the service user's ``enrollment`` throttle.

        ``course/{id}`` is anonymous on the LMS (its own per-IP budget), so it is not paced here.
        """
        path = url.removeprefix(self.base_url)
        return path.startswith(f"{ENROLLMENT_API}/") and not path.startswith(f"{ENROLLMENT_API}/course/")

    def _pace(self, operation: str) -> None:
        """Wait for a slot of the shared budget, or fail transiently with the wait (see ``pacing``)."""
        waited = 0.0
        while True:
            wait = take_slot(self.rate_limit_per_minute)
            if not wait:
                return
            if waited + wait > self.pace_max_wait:
                log.info("lms_call operation=%s outcome=paced retry_after=%.1f", operation, wait)
                raise LmsUnavailable(operation, "paced: the plugin's LMS call budget for this minute is used",
                                     status_code=None, retry_after=wait)
            time.sleep(wait)
            waited += wait

    def _transport_error(self, operation: str, exc: requests.RequestException) -> LmsUnavailable | LmsRejected:
        """Classify a failure raised by requests, including those of the token request.

        The token request runs inside ``OAuthAPIClient`` and surfaces as ``HTTPError`` (its
        ``raise_for_status``) or a bare ``RequestException`` (a body without ``access_token``).
        """
        response = getattr(exc, "response", None)
        if response is not None:
            status = response.status_code
            if status == 429 or status >= 500:
                return LmsUnavailable(f"{operation}/token", _message_of(response), status_code=status,
                                      retry_after=_retry_after(response))
            if 400 <= status < 500:
                return LmsRejected(f"{operation}/token", "the LMS refused the OAuth client credentials: "
                                   + _message_of(response), status_code=status)
            return LmsUnavailable(f"{operation}/token", f"unexpected token response (status {status})",
                                  status_code=status)
        return LmsUnavailable(operation, type(exc).__name__)

    def _forget_token(self) -> None:
        """Drop the cached token, so the next request fetches a new one.

        The key is edx-rest-api-client's cache key (``get_and_cache_oauth_access_token``); a test
        that expects a retry after a 401 fails if the library ever changes it.
        """
        oauth_url = f"{self.base_url}{TOKEN_PATH}"
        TieredCache.delete_all_tiers(f"edx_rest_api_client.access_token.jwt.client_credentials.{self._client_id}.{oauth_url}")

    def _course_details(self, body: dict[str, Any]) -> CourseDetails:
        return CourseDetails(
            course_id=_course_key(body["course_id"]),
            course_name=body.get("course_name") or "",
            enrollment_start=_parse_datetime(body.get("enrollment_start")),
            enrollment_end=_parse_datetime(body.get("enrollment_end")),
            course_start=_parse_datetime(body.get("course_start")),
            course_end=_parse_datetime(body.get("course_end")),
            invite_only=bool(body.get("invite_only")),
            pacing_type=body.get("pacing_type"),
            modes=tuple(
                CourseModeInfo(
                    slug=mode["slug"],
                    name=mode.get("name") or mode["slug"],
                    min_price=int(mode.get("min_price") or 0),
                    currency=(mode.get("currency") or "").lower(),
                    expiration_datetime=_parse_datetime(mode.get("expiration_datetime")),
                )
                for mode in body.get("course_modes") or ()
            ),
        )

    def _enrollment(self, body: Any) -> LmsEnrollment:
        if not isinstance(body, dict) or "course_details" not in body:
            raise LmsUnavailable("parse_enrollment", "the LMS returned no enrollment object")
        course = self._course_details(body["course_details"])
        return LmsEnrollment(
            username=body["user"],
            course_id=course.course_id,
            mode=body["mode"],
            is_active=bool(body["is_active"]),
            created=_parse_datetime(body.get("created")),
            course=course,
        )

    @staticmethod
    def _allowed(body: dict[str, Any]) -> EnrollmentAllowed:
        return EnrollmentAllowed(
            email=body["email"],
            course_id=_course_key(body["course_id"]),
            auto_enroll=bool(body.get("auto_enroll")),
            user_id=body.get("user"),
            created=_parse_datetime(body.get("created")),
        )
