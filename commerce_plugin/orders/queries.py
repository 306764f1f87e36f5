"""Reading the catalog and orders as :mod:`commerce_plugin.data` objects (reads only: the commands
are in :mod:`commerce_plugin.orders.service`)."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from uuid import UUID

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey

from commerce_plugin.data import EnrollmentState, OrderData, OrderStatus, ProductData
from commerce_plugin.errors import CommerceRequestError
from commerce_plugin.models import EnrollmentSync, Order, Product
from commerce_plugin.orders.errors import NotFound

__all__ = [
    "enrollment_state",
    "get_order",
    "get_product",
    "list_products",
    "order_to_data",
    "orders_to_data",
    "orders_for",
    "parse_course_key",
    "product_on_sale",
    "product_to_data",
    "SEAT_HOLDING",
    "seat_holding",
    "seats_taken",
    "visible_order",
    "with_seats_taken",
]


def parse_course_key(value: str) -> CourseKey:
    """A course key from user input, or a clear error saying what a valid one looks like."""
    try:
        return CourseKey.from_string(value)
    except InvalidKeyError as exc:
        raise CommerceRequestError(
            f"{value!r} is not a course key; expected something like course-v1:Org+Course+Run.") from exc


SEAT_HOLDING = (OrderStatus.PAID, OrderStatus.FULFILLED, OrderStatus.REFUND_PENDING)


def seat_holding(now: datetime, prefix: str = "") -> Q:
    """The orders that hold a seat at ``now`` (``prefix`` reaches them from another model: ``"orders__"``)."""
    return (Q(**{f"{prefix}status__in": [status.value for status in SEAT_HOLDING]})
            | Q(**{f"{prefix}status": OrderStatus.PENDING.value, f"{prefix}expires_at__gt": now}))


def seats_taken(product: Product, now: datetime | None = None) -> int:
    """Orders of the product that hold a seat right now."""
    return product.orders.filter(seat_holding(now or timezone.now())).count()


def product_on_sale(product: Product, now: datetime | None = None) -> bool:
    """Active and inside its sale window (seats are checked separately, under a lock)."""
    now = now or timezone.now()
    return product.is_active and (product.sale_starts_at is None or product.sale_starts_at <= now) and (
        product.sale_ends_at is None or now < product.sale_ends_at)


def visible_order(order_number: str, user: AbstractBaseUser) -> Order:
    """The order if the user may see it: their own, or any for staff.

    Raises:
        NotFound: no such order, or not theirs; the two are not told apart, so numbers cannot be probed.
    """
    order = Order.objects.select_related("product", "user").filter(number=order_number).first()
    if order is None or (order.user_id != user.pk and not user.is_staff):
        raise NotFound(f"No order {order_number}.")
    return order


def product_to_data(product: Product, now: datetime | None = None) -> ProductData:
    """The public view of a product (seat count only when the product has a limit)."""
    now = now or timezone.now()
    return ProductData(
        uuid=product.uuid, title=product.title, course_key=str(product.course_key), mode=product.mode,
        price=product.price, currency=product.currency, sale_starts_at=product.sale_starts_at,
        sale_ends_at=product.sale_ends_at, seat_limit=product.seat_limit,
        seats_taken=seats_taken(product, now) if product.seat_limit is not None else None,
        on_sale=product_on_sale(product, now),
    )


def with_seats_taken(products: QuerySet[Product], now: datetime | None = None) -> QuerySet[Product]:
    """The products with ``seats_taken_now`` counted in the same query (a list page must not count
    once per row); the count is the one :func:`seats_taken` gives a single product."""
    return products.annotate(seats_taken_now=Count("orders", filter=seat_holding(now or timezone.now(), "orders__")))


def list_products(*, course_key: str | None = None) -> QuerySet[Product]:
    """Active products, optionally of one course run. A queryset, so the REST edge can paginate it."""
    products = Product.objects.filter(is_active=True)
    if course_key:
        products = products.filter(course_key=parse_course_key(course_key))
    return products.order_by("course_key", "price", "id")


def get_product(product_uuid: UUID | str) -> ProductData:
    """One active product by uuid.

    Raises:
        NotFound: unknown or inactive.
    """
    try:
        product = Product.objects.get(uuid=UUID(str(product_uuid)), is_active=True)
    except (Product.DoesNotExist, ValueError) as exc:
        raise NotFound(f"No product {product_uuid}.") from exc
    return product_to_data(product)


_SYNC_TO_ENROLLMENT = {
    "retrying": EnrollmentState.RETRYING,
    "failed": EnrollmentState.FAILED,
    "waiting_for_account": EnrollmentState.WAITING,
}
#: ``sync`` argument meaning "not looked up yet": ``None`` already means "there is no sync record".
_UNKNOWN = object()


def enrollment_state(order: Order, sync: EnrollmentSync | None | object = _UNKNOWN) -> EnrollmentState:
    """What the learner should read about their enrollment (see :class:`EnrollmentState`).

    ``sync`` is the order's (email, course run) sync record when the caller already read it for a
    whole page (``None`` when it has none); otherwise it is read here.
    """
    if order.status not in (OrderStatus.PAID.value, OrderStatus.FULFILLED.value):
        return EnrollmentState.NONE
    if sync is _UNKNOWN:
        sync = EnrollmentSync.objects.filter(email=order.email.lower(), course_key=order.course_key).first()
    if sync is None:
        return EnrollmentState.ENROLLING
    assert isinstance(sync, EnrollmentSync)
    if sync.lms_active and sync.state == "in_sync":
        return EnrollmentState.ENROLLED
    return _SYNC_TO_ENROLLMENT.get(sync.state, EnrollmentState.ENROLLING)


def order_to_data(order: Order, sync: EnrollmentSync | None | object = _UNKNOWN) -> OrderData:
    """The public view of an order (``sync`` as in :func:`enrollment_state`)."""
    return OrderData(
        uuid=order.uuid, number=order.number, status=OrderStatus(order.status), username=order.user.username,
        email=order.email, product_uuid=order.product.uuid, product_title=order.product.title,
        course_key=str(order.course_key), mode=order.mode, amount=order.amount, currency=order.currency,
        created=order.created, paid_at=order.paid_at,
        expires_at=order.expires_at if order.status == OrderStatus.PENDING.value else None,
        failure_reason=order.failure_reason,
        checkout_url=order.checkout_url if order.status == OrderStatus.PENDING.value else "",
        enrollment_state=enrollment_state(order, sync),
    )


def orders_to_data(orders: Iterable[Order]) -> list[OrderData]:
    """The public view of a page of orders, in a constant number of queries whatever its size.

    The orders should come with ``product`` and ``user`` selected (as :func:`orders_for` does);
    the enrollment syncs of the paid ones are read in one query, not one per order.
    """
    orders = list(orders)
    paid = [order for order in orders if order.status in (OrderStatus.PAID.value, OrderStatus.FULFILLED.value)]
    syncs: dict[tuple[str, str], EnrollmentSync] = {}
    if paid:
        found = EnrollmentSync.objects.filter(email__in={order.email.lower() for order in paid},
                                              course_key__in={order.course_key for order in paid})
        syncs = {(sync.email, str(sync.course_key)): sync for sync in found}
    return [order_to_data(order, syncs.get((order.email.lower(), str(order.course_key)))) for order in orders]


def orders_for(
    user: AbstractBaseUser,
    *,
    status: str | None = None,
    course_key: str | None = None,
    email: str | None = None,
    created_from: datetime | None = None,
    created_to: datetime | None = None,
    mine: bool = False,
) -> QuerySet[Order]:
    """Orders the user may see, filtered, newest first: their own; every order for staff
    (unless ``mine``, for pages that show a staff member their own purchases).

    A queryset (not data objects) so the REST edge can paginate in the database; map each page
    with :func:`order_to_data`.

    Raises:
        CommerceRequestError: an unknown status or a malformed course key.
    """
    orders = Order.objects.select_related("product", "user")
    if mine or not user.is_staff:
        orders = orders.filter(user=user)
    if status:
        if status not in {choice.value for choice in OrderStatus}:
            raise CommerceRequestError(
                f"Unknown status {status!r}; use one of: {', '.join(choice.value for choice in OrderStatus)}.")
        orders = orders.filter(status=status)
    if course_key:
        orders = orders.filter(course_key=parse_course_key(course_key))
    if email:
        orders = orders.filter(email__iexact=email.strip())
    if created_from:
        orders = orders.filter(created__gte=created_from)
    if created_to:
        orders = orders.filter(created__lt=created_to)
    return orders.order_by("-created", "-id")


def get_order(order_number: str, *, user: AbstractBaseUser) -> OrderData:
    """One order the user may see (their own, or any for staff).

    Raises:
        NotFound: no such order, or not theirs (the two are not told apart).
    """
    return order_to_data(visible_order(order_number, user))
