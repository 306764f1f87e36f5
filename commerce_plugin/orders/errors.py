"""Errors of the purchase flow (the caller's fault unless said otherwise)."""
from __future__ import annotations

from commerce_plugin.errors import CommerceRequestError

__all__ = ["AlreadyPurchased", "NotFound", "ProductNotOnSale", "SoldOut"]


class NotFound(CommerceRequestError):
    """No such product or order (or not yours)."""


class ProductNotOnSale(CommerceRequestError):
    """The product is inactive or outside its sale window."""


class SoldOut(CommerceRequestError):
    """Every seat of the product is held by a pending or paid order."""


class AlreadyPurchased(CommerceRequestError):
    """The learner already holds a paid order for this product."""

    def __init__(self, message: str, order_number: str) -> None:
        super().__init__(message)
        self.order_number = order_number
