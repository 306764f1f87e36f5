"""Showing integer minor units as the amount a person reads ("49.00 USD", "5000 JPY").

Prices are stored as Stripe takes them: integer minor units. How many minor units make one major
unit depends on the currency (ISO 4217 exponent; Stripe's lists), so 4900 USD cents are 49.00 USD
but 5000 JPY are 5000 JPY. Formatting is done with ``Decimal`` so no float ever rounds a price.
"""
from __future__ import annotations

from decimal import Decimal

__all__ = ["THREE_DECIMAL_CURRENCIES", "ZERO_DECIMAL_CURRENCIES", "currency_exponent", "format_money"]

#: Currencies Stripe treats as having no minor unit (https://docs.stripe.com/currencies).
ZERO_DECIMAL_CURRENCIES = frozenset(
    {"bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf"}
)
#: Currencies with three decimals (amounts still in thousandths).
THREE_DECIMAL_CURRENCIES = frozenset({"bhd", "jod", "kwd", "omr", "tnd"})


def currency_exponent(currency: str) -> int:
    """Decimal places of ``currency``'s major unit (2 unless Stripe lists it otherwise)."""
    code = currency.lower()
    if code in ZERO_DECIMAL_CURRENCIES:
        return 0
    if code in THREE_DECIMAL_CURRENCIES:
        return 3
    return 2


def format_money(amount: int, currency: str) -> str:
    """``4900, "usd"`` -> ``"49.00 USD"``; ``5000, "jpy"`` -> ``"5000 JPY"``; refunds keep their sign."""
    exponent = currency_exponent(currency)
    major = Decimal(int(amount)).scaleb(-exponent)
    return f"{major:.{exponent}f} {currency.upper()}"
