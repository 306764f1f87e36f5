"""The payment ledger: the one module that writes payment and refund rows and says what an order's money is.

Money moves in one table (:class:`~commerce_plugin.models.Payment`): a payment is a positive row,
a refund a negative one, each carrying Stripe's id (unique, so a repeated event writes once). On
top of those rows, refunds that are approved but not yet through at Stripe are *in flight*: their
money is promised and must not be promised twice.

Every path that sends a refund to Stripe passes :func:`reserve_refund` with the order's row held
(``select_for_update``): it is the only place that compares an amount with what is left, so a
learner's request, a staff refund, a re-approved failed refund and the course-removed cascade all
meet the same cap (issue 11.1: a failed refund re-approved after a full staff refund used to pay
twice). Stripe's test servers do not enforce the cap for us, and real Stripe enforces it only
per charge, after the fact.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum

from commerce_plugin.data import PaymentKind, RefundStatus
from commerce_plugin.models import Order, Payment, Refund
from commerce_plugin.payments.errors import RefundAmountInvalid

__all__ = [
    "Balance",
    "balance",
    "first_payment",
    "order_id_paid_by",
    "payment_by_stripe_id",
    "record_payment",
    "record_refund",
    "reserve_refund",
]


@dataclass(frozen=True)
class Balance:
    """An order's money in minor units: what came in, what went back, what is promised back."""

    paid: int
    refunded: int
    in_flight: int

    @property
    def left_to_refund(self) -> int:
        """What a new refund may still take."""
        return max(self.paid - self.refunded - self.in_flight, 0)

    @property
    def fully_refunded(self) -> bool:
        """Everything paid has gone back (a free order never counts as refunded)."""
        return self.refunded >= self.paid > 0


def balance(order: Order, *, excluding: Refund | None = None) -> Balance:
    """The order's balance (two queries). Hold the order's row lock when the answer decides a refund.

    ``excluding`` leaves one refund out of the in-flight total: the one being decided.
    """
    totals = Payment.objects.filter(order=order).aggregate(
        paid=Sum("amount", filter=Q(kind=PaymentKind.PAYMENT.value)),
        refunded=Sum("amount", filter=Q(kind=PaymentKind.REFUND.value)))
    in_flight = Refund.objects.filter(order=order, status=RefundStatus.APPROVED.value)
    if excluding is not None:
        in_flight = in_flight.exclude(pk=excluding.pk)
    return Balance(paid=totals["paid"] or 0, refunded=-(totals["refunded"] or 0),
                   in_flight=in_flight.aggregate(total=Sum("amount"))["total"] or 0)


def reserve_refund(locked_order: Order, amount: int, *, refund: Refund | None = None) -> Balance:
    """Check that ``amount`` may be promised back now, before a refund is approved (order row locked).

    ``refund`` is the refund being approved, when it exists already (a waiting request, or a failed
    refund sent again): it is not counted against itself.

    Raises:
        RefundAmountInvalid: ``amount`` is not positive or is more than is left to refund.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("reserve_refund needs the order's row lock: call it inside transaction.atomic()")
    current = balance(locked_order, excluding=refund)
    left = current.left_to_refund
    if amount <= 0 or amount > left:
        raise RefundAmountInvalid(
            f"Only {left} ({locked_order.currency.upper()} minor units) is left to refund on this order; "
            f"{amount} cannot be refunded.", left)
    return current


def first_payment(order: Order) -> Payment | None:
    """The order's payment row (an order is paid once), or ``None``."""
    return Payment.objects.filter(order=order, kind=PaymentKind.PAYMENT.value).first()


def record_payment(locked_order: Order, *, stripe_id: str, known_unpaid: bool = False) -> bool:
    """Record that the order's amount was paid (once: ``False`` when it was recorded already).

    ``known_unpaid``: the caller has just looked (:func:`first_payment`) under the order's lock,
    so the look is not repeated; the unique Stripe id still refuses a second row.
    """
    if not known_unpaid and Payment.objects.filter(order=locked_order, kind=PaymentKind.PAYMENT.value).exists():
        return False
    Payment.objects.create(order=locked_order, kind=PaymentKind.PAYMENT.value, amount=locked_order.amount,
                           currency=locked_order.currency, stripe_id=stripe_id)
    return True


def record_refund(locked_order: Order, *, amount: int, stripe_id: str) -> bool:
    """Record money Stripe gave back (a negative row, once per Stripe refund id)."""
    if Payment.objects.filter(stripe_id=stripe_id).exists():
        return False
    try:
        with transaction.atomic():
            Payment.objects.create(order=locked_order, kind=PaymentKind.REFUND.value, amount=-amount,
                                   currency=locked_order.currency, stripe_id=stripe_id)
    except IntegrityError:
        return False  # a concurrent worker recorded this Stripe refund first
    return True


def order_id_paid_by(payment_intent_id: str) -> int | None:
    """The order a Stripe PaymentIntent paid, if we recorded that payment."""
    return Payment.objects.filter(kind=PaymentKind.PAYMENT.value, stripe_id=payment_intent_id).values_list(
        "order_id", flat=True).first()


def payment_by_stripe_id(payment_intent_id: str) -> Payment | None:
    """The payment row (with its order) recorded for a Stripe PaymentIntent."""
    return Payment.objects.select_related("order").filter(
        kind=PaymentKind.PAYMENT.value, stripe_id=payment_intent_id).first()
