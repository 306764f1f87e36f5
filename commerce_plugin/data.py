"""Public data objects of the plugin: what :mod:`commerce_plugin.api` returns.

Frozen dataclasses of the standard library only, so any caller (views, tasks, other apps) can use
them without importing models or adapters.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

__all__ = [
    "AccessGrant",
    "AccessRuleData",
    "AccessRuleType",
    "AccessSource",
    "CourseAccess",
    "EnrollmentState",
    "GateDecision",
    "GrantData",
    "GrantSource",
    "LmsConnectionCheck",
    "LmsEnrollmentSnapshot",
    "MemberData",
    "OrderData",
    "OrderStatus",
    "PaymentKind",
    "PersonAccess",
    "PlacedOrder",
    "PluginStatus",
    "ProductData",
    "ProductionCheck",
    "ProvisionedPerson",
    "RefundData",
    "RefundDecision",
    "RefundReason",
    "RefundStatus",
    "RuleSetData",
    "SyncState",
    "WorkgroupData",
]


@dataclass(frozen=True)
class ProductionCheck:
    """One line of "is this LMS ready for its first sale?": what was checked, and what to fix."""

    name: str
    ok: bool
    detail: str
    fix: str = ""


@dataclass(frozen=True)
class LmsConnectionCheck:
    """Result of checking the plugin's connection to the LMS (token request and staff power).

    ``ok`` is True only when a token was obtained and it belongs to a staff user: without staff,
    the enrollment and enrollment_allowed calls the plugin depends on are refused.
    """

    ok: bool
    base_url: str
    service_username: str | None = None
    service_is_staff: bool | None = None
    token_expires_at: datetime | None = None
    error: str | None = None


@dataclass(frozen=True)
class PluginStatus:
    """Name and version of the installed plugin, with the LMS check when one was asked for."""

    name: str
    version: str
    lms: LmsConnectionCheck | None = None


@dataclass(frozen=True)
class LmsEnrollmentSnapshot:
    """One enrollment as the LMS reports it right now (course id as a string)."""

    username: str
    course_id: str
    mode: str
    is_active: bool
    created: datetime | None


class OrderStatus(StrEnum):
    """Lifecycle of an order (the allowed moves are in ``orders/states.py``).

    ``pending`` (checkout started, seat held) -> ``paid`` (Stripe says paid; grant created)
    -> ``fulfilled`` (the LMS enrollment exists). ``pending`` may end as ``expired`` (hold timed
    out), ``canceled`` (learner or staff) or ``failed`` (payment definitively failed).
    ``paid``/``fulfilled`` -> ``refund_pending`` -> ``refunded`` belongs to the refund flow.
    """

    PENDING = "pending"
    PAID = "paid"
    FULFILLED = "fulfilled"
    EXPIRED = "expired"
    CANCELED = "canceled"
    FAILED = "failed"
    REFUND_PENDING = "refund_pending"
    REFUNDED = "refunded"

    @property
    def is_paid(self) -> bool:
        """Whether the order stands paid (``paid`` or ``fulfilled``): the learner's refund policy applies."""
        return self in (OrderStatus.PAID, OrderStatus.FULFILLED)

    @property
    def staff_refundable(self) -> bool:
        """Whether a staff refund may start from this status (money was taken and some may remain).

        The one answer ``refunds.service.staff_refund`` enforces and the admin shows, so no edge
        keeps its own list of refundable statuses.
        """
        return self in (OrderStatus.PAID, OrderStatus.FULFILLED, OrderStatus.REFUND_PENDING)


class EnrollmentState(StrEnum):
    """What the learner should read about the LMS enrollment a paid order gives.

    ``enrolled``: the LMS has it. ``enrolling``: on its way. ``waiting``: no LMS account has the
    email yet. ``retrying``: the LMS did not answer, tried again automatically. ``failed``: the LMS
    refused, staff must look. ``none``: the order is not paid (or its access ended).
    """

    ENROLLED = "enrolled"
    ENROLLING = "enrolling"
    WAITING = "waiting"
    RETRYING = "retrying"
    FAILED = "failed"
    NONE = "none"

    @property
    def in_progress(self) -> bool:
        """Whether the enrollment is still moving, so a page showing it should keep refreshing."""
        return self in (EnrollmentState.ENROLLING, EnrollmentState.RETRYING, EnrollmentState.WAITING)


class SyncState(StrEnum):
    """Where the LMS enrollment of one (person, course run) stands against its grants.

    ``in_sync``: the LMS matches the grants. ``pending``: a difference waits for the next run.
    ``retrying``: the last attempt failed transiently; ``next_attempt_at`` says when it retries.
    ``failed``: the LMS refused (4xx); staff must look ("retry now" in the admin).
    ``waiting_for_account``: no LMS account has this email yet; an enrollment_allowed record
    makes the LMS enroll the person at sign-up, and the registration event re-runs the sync.
    """

    IN_SYNC = "in_sync"
    PENDING = "pending"
    RETRYING = "retrying"
    FAILED = "failed"
    WAITING_FOR_ACCOUNT = "waiting_for_account"


class GrantSource(StrEnum):
    """Why a grant exists: a paid order, a staff decision, an access rule membership."""

    ORDER = "order"
    STAFF = "staff"
    RULE = "rule"


class AccessRuleType(StrEnum):
    """``private``: only the rule's workgroups and people. ``public``: any signed-in learner while open."""

    PRIVATE = "private"
    PUBLIC = "public"


class PaymentKind(StrEnum):
    """A row of the payment ledger: money in (positive) or money given back (negative)."""

    PAYMENT = "payment"
    REFUND = "refund"


class RefundStatus(StrEnum):
    """Lifecycle of a refund (allowed moves in ``refunds/states.py``).

    ``requested`` (waits for staff) -> ``approved`` (to be sent to Stripe; retried while Stripe is
    unreachable) -> ``succeeded`` | ``failed`` (Stripe refused; staff may approve it again).
    ``requested`` -> ``rejected`` (staff, with a note).
    """

    REQUESTED = "requested"
    APPROVED = "approved"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    REJECTED = "rejected"


class RefundReason(StrEnum):
    """Why the refund policy answers as it does; pages and the API show it to the learner."""

    ELIGIBLE = "eligible"
    ELIGIBLE_CERTIFICATE_UNVERIFIED = "eligible_certificate_unverified"
    WINDOW_CLOSED = "window_closed"
    CERTIFICATE_EARNED = "certificate_earned"
    CERTIFICATE_UNVERIFIABLE = "certificate_unverifiable"
    ALREADY_REQUESTED = "already_requested"
    ALREADY_REFUNDED = "already_refunded"
    NOT_PAID = "not_paid"
    NOTHING_TO_REFUND = "nothing_to_refund"


@dataclass(frozen=True)
class RefundDecision:
    """The refund policy's answer for an order: may the learner get their money back, and why.

    ``refundable_until`` is the end of the window (when known); ``amount`` is what a learner's
    refund would return (the whole remaining balance).
    """

    eligible: bool
    reason: RefundReason
    refundable_until: datetime | None
    amount: int
    currency: str
    #: Whether the buyer may press "request a refund": eligible, or refused for a reason staff may
    #: overrule (the request then waits for a review). Set by the policy, read as is by the pages.
    can_request_refund: bool = False


@dataclass(frozen=True)
class RefundData:
    """A refund of an order, as learners, staff and third parties see it."""

    uuid: UUID
    order_number: str
    amount: int
    currency: str
    status: RefundStatus
    source: str
    reason: str
    note: str
    override: bool
    created: datetime
    completed_at: datetime | None
    last_error: str


@dataclass(frozen=True)
class ProductData:
    """A course run for sale, priced in integer minor units of ``currency``."""

    uuid: UUID
    title: str
    course_key: str
    mode: str
    price: int
    currency: str
    sale_starts_at: datetime | None
    sale_ends_at: datetime | None
    seat_limit: int | None
    seats_taken: int | None
    on_sale: bool


@dataclass(frozen=True)
class OrderData:
    """An order as the learner, staff and third parties see it."""

    uuid: UUID
    number: str
    status: OrderStatus
    username: str
    email: str
    product_uuid: UUID
    product_title: str
    course_key: str
    mode: str
    amount: int
    currency: str
    created: datetime
    paid_at: datetime | None
    expires_at: datetime | None
    failure_reason: str
    checkout_url: str
    enrollment_state: EnrollmentState


@dataclass(frozen=True)
class PlacedOrder(OrderData):
    """The answer to "buy this": the order, and whether it was an existing pending one resumed."""

    resumed: bool = False


@dataclass(frozen=True)
class GrantData:
    """A reason for a person to hold a course run in a mode, for a time."""

    uuid: UUID
    email: str
    course_key: str
    mode: str
    source: GrantSource
    source_ref: str
    starts_at: datetime
    ends_at: datetime | None
    revoked_at: datetime | None


@dataclass(frozen=True)
class WorkgroupData:
    """A workgroup and how many people are in it."""

    id: int
    name: str
    description: str
    member_count: int
    created: datetime
    modified: datetime


@dataclass(frozen=True)
class MemberData:
    """One person's membership of a workgroup; ``active`` is false once ``removal_date`` passed."""

    workgroup_id: int
    email: str
    removal_date: datetime | None
    added_at: datetime
    added_by: str
    active: bool


@dataclass(frozen=True)
class AccessRuleData:
    """An access rule of a course run, with its associations (workgroup ids and people's emails)."""

    id: int
    course_id: str
    name: str
    type: AccessRuleType
    mode: str
    starts_at: datetime
    ends_at: datetime
    workgroups: tuple[int, ...]
    people: tuple[str, ...]


@dataclass(frozen=True)
class RuleSetData:
    """The rules of a course run and their version (the API's ETag)."""

    course_id: str
    version: int
    rules: tuple[AccessRuleData, ...]


@dataclass(frozen=True)
class ProvisionedPerson:
    """The answer of provisioning: the person, and whether an LMS account already had the email."""

    email: str
    first_name: str
    last_name: str
    account_exists: bool
    invited_at: datetime | None
    created: bool


@dataclass(frozen=True)
class AccessSource:
    """Why one grant exists, in words a support agent can follow."""

    kind: GrantSource
    order_number: str | None = None
    rule_id: int | None = None
    rule_name: str | None = None
    workgroups: tuple[str, ...] = ()
    direct: bool = False
    note: str = ""


@dataclass(frozen=True)
class AccessGrant:
    """One grant of a person and its source; ``state`` is ``active``, ``upcoming``, ``ended`` or ``revoked``."""

    course_id: str
    mode: str
    state: str
    starts_at: datetime
    ends_at: datetime | None
    revoked_at: datetime | None
    source: AccessSource


@dataclass(frozen=True)
class CourseAccess:
    """A course run a person has, had or will have: its grants and the LMS sync state."""

    course_id: str
    active: bool
    mode: str | None
    sync_state: str | None
    lms_active: bool | None
    lms_mode: str
    last_error: str
    grants: tuple[AccessGrant, ...]


@dataclass(frozen=True)
class PersonAccess:
    """Everything a person has access to and why (support agents and integrators)."""

    email: str
    has_account: bool
    courses: tuple[CourseAccess, ...]


@dataclass(frozen=True)
class GateDecision:
    """The enrollment gate's answer for a learner's own enrollment into a course run."""

    allowed: bool
    reason: str
    buy_url: str = ""
