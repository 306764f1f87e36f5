"""The receipt's live status in a real browser: the page notices a change without the learner reloading."""
from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from commerce_plugin.orders.states import transition


def test_a_waiting_receipt_updates_itself_when_the_order_changes(page: Page, lms, learner, product, make_order):
    order = make_order(learner, product, status="pending")
    receipt = f"/commerce/orders/{order.number}/"
    page.goto(f"{lms.url}/login?next={receipt}")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill("ada-password")
    page.get_by_role("button", name=re.compile("log in", re.I)).click()
    expect(page.locator("#order-status")).to_have_attribute("data-status", "pending")

    transition(order, "expired", actor="system", reason="seat hold expired before payment")

    expect(page.locator("#order-status")).to_have_attribute("data-status", "expired", timeout=10_000)
    expect(page.locator("#order-status")).to_have_text("Expired (not paid in time)")
    expect(page.get_by_role("link", name="Buy this course run again")).to_be_visible()
