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


#: The demo's integrator: a client-credentials application whose user may manage access (not staff).
DEMO_INTEGRATOR_CLIENT_ID = "demo-integrator"
DEMO_INTEGRATOR_CLIENT_SECRET = "demo-integrator-secret"  # sandbox only, printed by the demo
DEMO_WORKGROUP = "Payments with Stripe: partner cohort"
DEMO_RULE = "PAYMENT_INTEGRATION_COURSE_STRIPE201"


def seed_access() -> dict:
    """A workgroup and a private rule on the second course run, through the plugin's API, and the
    integrator's OAuth2 application (its user holds ``commerce_plugin.manage_access``)."""
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission
    from django.utils import timezone
    from opaque_keys.edx.keys import CourseKey

    from commerce_plugin import api
    from sandbox.lms.models import OAuthApplication
    from sandbox.lms.seed import create_user

    user = get_user_model().objects.filter(username="integrator").first() or create_user(
        "integrator", "integrator@example.com")
    user.user_permissions.add(Permission.objects.get(codename="manage_access",
                                                     content_type__app_label="commerce_plugin"))
    OAuthApplication.objects.update_or_create(client_id=DEMO_INTEGRATOR_CLIENT_ID, defaults={
        "name": "integrator (client credentials)", "client_secret": DEMO_INTEGRATOR_CLIENT_SECRET, "user": user})
    existing = [group for group in api.list_workgroups(name=DEMO_WORKGROUP) if group.name == DEMO_WORKGROUP]
    group_id = existing[0].pk if existing else api.create_workgroup(
        name=DEMO_WORKGROUP, description="People a partner sold the course to", actor="demo-seed").id
    course_key = CourseKey.from_string(DEMO_STRIPE_COURSE)
    if not api.rules_of(course_key).rules:
        now = timezone.now()
        api.replace_rules(course_key, [{
            "name": DEMO_RULE, "type": "private", "mode": "verified", "starts_at": now - timedelta(days=1),
            "ends_at": now + timedelta(days=365 * 50), "workgroups": [group_id], "people": []}],
            if_match=None, actor="demo-seed")
    return {"workgroup_id": group_id, "course_id": DEMO_STRIPE_COURSE}
