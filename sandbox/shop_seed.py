"""Demo products for the plugin's catalog (the sandbox's courses come from ``sandbox.lms.seed``).

Written through the models directly: this is demo data, the way an operator would enter it in
the Django admin. Idempotent.
"""
from __future__ import annotations

from commerce_plugin.models import Product
from sandbox.lms.seed import DEMO_COMMERCE_COURSE, DEMO_STRIPE_COURSE

DEMO_PRODUCTS = (
    # title, course, mode, price (minor units), currency, seat limit
    ("Selling courses with Open edX: verified certificate", DEMO_COMMERCE_COURSE, "verified", 4900, "usd", None),
    ("Payments with Stripe: professional track", DEMO_STRIPE_COURSE, "professional", 19900, "usd", 20),
    ("Payments with Stripe: audit (free)", DEMO_STRIPE_COURSE, "audit", 0, "usd", None),
)


def seed_products() -> list[Product]:
    """Create the demo products once; returns them in the order above."""
    products = []
    for title, course, mode, price, currency, seats in DEMO_PRODUCTS:
        product, _ = Product.objects.get_or_create(
            title=title, defaults={"course_key": course, "mode": mode, "price": price, "currency": currency,
                                   "seat_limit": seats})
        products.append(product)
    return products
