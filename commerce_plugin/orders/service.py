"""Creating orders, holding seats, starting Stripe Checkout, expiring and cancelling orders.

Seats: a product with a ``seat_limit`` counts the orders that hold a seat (paid, fulfilled,
refund pending, and pending ones whose hold has not expired). Creating an order locks the product
row first, so two buyers of the last seat are serialised by the database and never both get it,
whichever LMS process or worker serves them.
"""
from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta
from uuid import UUID

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from commerce_plugin.adapters.stripe_gateway import PaymentGatewayError, StripeGateway
from commerce_plugin.conf import get_setting
from commerce_plugin.data import OrderData, OrderStatus, PlacedOrder
from commerce_plugin.models import Order, OrderStatusChange, Product
from commerce_plugin.orders.errors import AlreadyPurchased, NotFound, ProductNotOnSale, SoldOut
from commerce_plugin.orders.fulfilment import apply_checkout_session, grant_paid_order
from commerce_plugin.orders.queries import SEAT_HOLDING, order_to_data, product_on_sale, seats_taken, visible_order
from commerce_plugin.orders.states import InvalidTransition, transition

__all__ = [
    "cancel_order",
    "create_order",
    "expire_due_orders",
]

log = logging.getLogger(__name__)

_NUMBER_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read over the phone


def _new_number() -> str:
    return "CP-" + "".join(secrets.choice(_NUMBER_ALPHABET) for _ in range(10))


def create_order(user: AbstractBaseUser, product_uuid: UUID | str, *, base_url: str) -> PlacedOrder:
    """Create (or resume) the learner's order for a product and start its payment.

    ``checkout_url`` is Stripe's payment page (empty for free products, which come back paid).
    ``base_url`` is the LMS address the learner's browser uses, for Stripe's return links.

    Raises:
        NotFound, ProductNotOnSale, SoldOut, AlreadyPurchased: the request cannot be served.
        PaymentGatewayUnavailable: Stripe is unreachable; the order stays pending, retry later.
    """
    order, resumed = _open_order(user, product_uuid, base_url=base_url)
    data = order_to_data(order)
    return PlacedOrder(**{name: getattr(data, name) for name in data.__dataclass_fields__}, resumed=resumed)


def cancel_order(order_number: str, *, user: AbstractBaseUser) -> OrderData:
    """Cancel a pending order (its Stripe page is closed, its seat freed); returns the order after.

    A payment Stripe completed meanwhile wins: the caller gets :class:`InvalidTransition` and the
    order is paid, not canceled.

    Raises:
        NotFound: no such order for this user. InvalidTransition: it is no longer pending.
    """
    return order_to_data(_cancel(order_number, user=user))


def _open_order(user: AbstractBaseUser, product_uuid: UUID | str, *, base_url: str) -> tuple[Order, bool]:
    """Create (or resume) the learner's order for a product and start its payment.

    Returns ``(order, resumed)``; ``resumed`` is True when an existing pending order came back.

    The price comes from the product, never from the caller. A learner with an unexpired pending
    order for the same product gets that order back (one checkout per learner and product); a
    learner who already paid gets :class:`AlreadyPurchased`. Free products are paid and granted
    at once. For paid ones a Stripe Checkout Session is created after the order commits (no remote
    call inside the transaction); ``order.checkout_url`` is Stripe's payment page.

    Raises:
        NotFound, ProductNotOnSale, SoldOut, AlreadyPurchased: the caller's request cannot be served.
        PaymentGatewayUnavailable: Stripe is unreachable; the order stays pending, retry later.
    """
    now = timezone.now()
    with transaction.atomic():
        try:
            product = Product.objects.select_for_update().get(uuid=UUID(str(product_uuid)))
        except (Product.DoesNotExist, ValueError) as exc:
            raise NotFound(f"No product {product_uuid}.") from exc
        paid = product.orders.filter(user=user, status__in=[status.value for status in SEAT_HOLDING]).first()
        if paid is not None:
            raise AlreadyPurchased(f"You already bought this course run (order {paid.number}).", paid.number)
        if not product_on_sale(product, now):
            raise ProductNotOnSale("This course run is not on sale right now.")
        pending = product.orders.filter(user=user, status=OrderStatus.PENDING.value, expires_at__gt=now).first()
        resumed = pending is not None
        if pending is None:
            if product.seat_limit is not None and seats_taken(product, now) >= product.seat_limit:
                raise SoldOut("All seats of this course run are taken.")
            hold = timedelta(minutes=get_setting("COMMERCE_SEAT_HOLD_MINUTES"))
            pending = Order.objects.create(
                number=_new_number(), user=user, email=user.email, product=product, course_key=product.course_key,
                mode=product.mode, amount=product.price, currency=product.currency, expires_at=now + hold,
            )
            OrderStatusChange.objects.create(order=pending, from_status="", to_status=OrderStatus.PENDING.value,
                                             actor=f"user:{user.pk}", reason="order created")
        order = pending
        if order.amount == 0:
            transition(order, OrderStatus.PAID, actor="system", reason="free product: no payment needed",
                       paid_at=now, expires_at=None)
            grant_paid_order(order)
            return order, resumed
    if not order.checkout_url:
        _start_checkout(order, product, base_url=base_url)
    return order, resumed


def _start_checkout(order: Order, product: Product, *, base_url: str) -> None:
    """Create the Stripe Checkout Session of a pending order and remember its id and URL."""
    base = base_url.rstrip("/")
    expires_at = order.expires_at
    if expires_at is not None and not (timedelta(minutes=31) <= expires_at - timezone.now() <= timedelta(hours=24)):
        expires_at = None  # outside what Stripe accepts: our own expiry job closes the session
    try:
        session = StripeGateway.from_settings().create_checkout_session(
            idempotency_key=f"checkout-{order.uuid}",
            amount=order.amount,
            currency=order.currency,
            product_name=product.title,
            metadata={"order_uuid": str(order.uuid), "order_number": order.number},
            client_reference_id=order.number,
            customer_email=order.email,
            success_url=f"{base}/commerce/orders/{order.number}/?session_id={{CHECKOUT_SESSION_ID}}",
            cancel_url=f"{base}/commerce/checkout/{product.uuid}/?canceled={order.number}",
            expires_at=expires_at,
        )
    except PaymentGatewayError as exc:
        log.warning("checkout order=%s outcome=%s", order.number, "transient" if exc.transient else "permanent")
        if not exc.transient:
            transition(order, OrderStatus.FAILED, actor="system", reason=f"Stripe refused the checkout: {exc.detail}",
                       failure_reason=exc.detail[:255])
        raise
    Order.objects.filter(pk=order.pk).update(stripe_session_id=session.id, checkout_url=session.url,
                                             modified=timezone.now())
    order.stripe_session_id, order.checkout_url = session.id, session.url


def expire_due_orders(now: datetime | None = None) -> list[str]:
    """Expire pending orders whose seat hold has ended; returns their numbers.

    Stripe is asked first: a session paid at the last second is fulfilled, not expired; an open
    one is expired on Stripe so it can no longer be paid. An order whose Stripe call fails
    transiently is left for the next run.
    """
    now = now or timezone.now()
    expired = []
    for order in Order.objects.filter(status=OrderStatus.PENDING.value, expires_at__lte=now).order_by("expires_at"):
        if order.stripe_session_id:
            try:
                session = StripeGateway.from_settings().expire_checkout_session(order.stripe_session_id)
            except PaymentGatewayError:
                log.warning("expire order=%s outcome=stripe_unavailable", order.number)
                continue
            if session.payment_status == "paid":
                apply_checkout_session(session, actor="system")
                continue
        try:
            transition(order, OrderStatus.EXPIRED, actor="system", reason="seat hold expired before payment")
        except InvalidTransition:
            log.info("expire order=%s outcome=no_longer_pending", order.number)  # paid meanwhile
            continue
        expired.append(order.number)
    return expired


def _cancel(order_number: str, *, user: AbstractBaseUser) -> Order:
    """The learner (or staff) gives up a pending order: its Stripe session is expired, the seat freed.

    Raises:
        NotFound: no such order for this user.
        InvalidTransition: the order is no longer pending, including when Stripe says it was paid
            a moment ago (the payment is applied first, so the caller can show the paid order).
    """
    order = visible_order(order_number, user)
    if order.stripe_session_id and order.status == OrderStatus.PENDING.value:
        session = StripeGateway.from_settings().expire_checkout_session(order.stripe_session_id)
        if session.payment_status == "paid":
            apply_checkout_session(session, actor=f"user:{user.pk}")
            # Read again: the sync queued at the payment's commit may already have fulfilled it.
            paid = Order.objects.get(pk=order.pk)
            raise InvalidTransition(paid.number, paid.status, OrderStatus.CANCELED.value)
    return transition(order, OrderStatus.CANCELED, actor=f"user:{user.pk}", reason="canceled before payment")
