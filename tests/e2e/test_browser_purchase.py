"""A learner buys a course run in a real browser: checkout page, Stripe's page, receipt, enrolled."""
from __future__ import annotations

import re

from playwright.sync_api import Page, expect


def _enrollment(username, course_id):
    from sandbox.lms.models import CourseEnrollment

    return CourseEnrollment.objects.filter(user__username=username, course__course_id=course_id).first()


def _log_in(page: Page, base_url: str, next_path: str) -> None:
    page.goto(f"{base_url}/login?next={next_path}")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill("ada-password")
    page.get_by_role("button", name=re.compile("log in", re.I)).click()


def test_learner_buys_pays_and_lands_enrolled(page: Page, shop, product, learner):
    checkout_path = f"/commerce/checkout/{product.uuid}/"
    _log_in(page, shop.url, checkout_path)
    expect(page).to_have_url(re.compile(re.escape(checkout_path)))
    expect(page.get_by_text("49.00 USD").first).to_be_visible()

    page.get_by_role("button", name=re.compile("buy", re.I)).click()

    expect(page).to_have_url(re.compile(re.escape(shop.stripe.url) + "/pay/cs_test_"))
    page.locator("#card-number").fill("4242 4242 4242 4242")
    page.get_by_role("button", name=re.compile("^pay", re.I)).click()

    expect(page).to_have_url(re.compile(r"/commerce/orders/CP-[A-Z0-9]+/"))
    expect(page.locator("#enrollment-state")).to_contain_text(re.compile("enrolled", re.I), timeout=15_000)
    enrollment = _enrollment("ada", product.course_key)
    assert enrollment is not None and enrollment.is_active and enrollment.mode == "verified"


def test_a_declined_card_stays_on_stripe_with_the_reason(page: Page, shop, product, learner):
    _log_in(page, shop.url, f"/commerce/checkout/{product.uuid}/")
    page.get_by_role("button", name=re.compile("buy", re.I)).click()
    page.locator("#card-number").fill("4000 0000 0000 0341")
    page.get_by_role("button", name=re.compile("^pay", re.I)).click()

    expect(page.get_by_text("Your card was declined.")).to_be_visible()
    assert _enrollment("ada", product.course_key) is None


def test_learner_buys_then_refunds_and_the_enrollment_ends(page: Page, shop, product, learner):
    _log_in(page, shop.url, f"/commerce/checkout/{product.uuid}/")
    page.get_by_role("button", name=re.compile("buy", re.I)).click()
    page.locator("#card-number").fill("4242 4242 4242 4242")
    page.get_by_role("button", name=re.compile("^pay", re.I)).click()
    expect(page.locator("#enrollment-state")).to_contain_text(re.compile("enrolled", re.I), timeout=15_000)
    expect(page.locator("#refund-decision")).to_contain_text("Refundable until")

    page.locator("#refund-button").click()

    expect(page.locator("#order-status")).to_have_text("Refunded", timeout=15_000)
    expect(page.locator("#refunds")).to_contain_text("completed")
    enrollment = _enrollment("ada", product.course_key)
    assert enrollment is not None and enrollment.is_active is False
