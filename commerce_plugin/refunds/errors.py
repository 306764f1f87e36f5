"""Errors of the refund flow (the caller's fault)."""
from __future__ import annotations

from commerce_plugin.data import RefundReason
from commerce_plugin.errors import CommerceRequestError
from commerce_plugin.payments.errors import RefundAmountInvalid  # the ledger's cap; re-exported here

__all__ = ["RefundAmountInvalid", "RefundNotAllowed"]


class RefundNotAllowed(CommerceRequestError):
    """No refund can be requested for this order now; ``reason`` says why (a policy reason code)."""

    def __init__(self, message: str, reason: RefundReason) -> None:
        super().__init__(message)
        self.reason = reason


