"""The payment ledger's answers and its one cap (issue 11.1 and 11.8)."""
from __future__ import annotations

import pytest
from django.db import transaction

from commerce_plugin.data import PaymentKind
from commerce_plugin.models import Order, Payment
from commerce_plugin.payments import ledger
from commerce_plugin.payments.errors import RefundAmountInvalid


def test_balance_counts_payments_refunds_and_refunds_in_flight(bought):
    assert ledger.balance(bought) == ledger.Balance(paid=bought.amount, refunded=0, in_flight=0)
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=bought.pk)
        assert ledger.record_refund(locked, amount=900, stripe_id="re_partial_1") is True
        assert ledger.record_refund(locked, amount=900, stripe_id="re_partial_1") is False  # once per Stripe id
    money = ledger.balance(bought)
    assert (money.paid, money.refunded, money.left_to_refund, money.fully_refunded) == (
        bought.amount, 900, bought.amount - 900, False)
    assert Payment.objects.get(stripe_id="re_partial_1").kind == PaymentKind.REFUND


def test_the_cap_refuses_more_than_is_left_and_needs_the_lock(bought):
    with pytest.raises(RuntimeError, match="row lock"):
        ledger.reserve_refund(bought, 100)
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=bought.pk)
        assert ledger.reserve_refund(locked, bought.amount).left_to_refund == bought.amount
        with pytest.raises(RefundAmountInvalid) as refused:
            ledger.reserve_refund(locked, bought.amount + 1)
        assert refused.value.refundable == bought.amount
        with pytest.raises(RefundAmountInvalid):
            ledger.reserve_refund(locked, 0)
