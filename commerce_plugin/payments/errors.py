"""Errors of the payment ledger (the caller's fault)."""
from __future__ import annotations

from commerce_plugin.errors import CommerceRequestError

__all__ = ["RefundAmountInvalid"]


class RefundAmountInvalid(CommerceRequestError):
    """The amount is not positive or exceeds what remains refundable on the order."""

    def __init__(self, message: str, refundable: int) -> None:
        super().__init__(message)
        self.refundable = refundable
