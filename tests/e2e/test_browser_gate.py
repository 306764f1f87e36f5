"""The enrollment gate in a browser: "Enroll" on a sold course is refused, the learner buys, and is in."""
from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.test_browser_purchase import _enrollment, _log_in


def test_refused_at_enroll_on_a_sold_course_then_buys_and_is_in(page: Page, shop, product, learner):
    _log_in(page, shop.url, "/")
    page.locator(f'button.enroll[data-course="{product.course_key}"]').click()

    expect(page.locator("#enroll-refused")).to_contain_text("buy it to enroll")
    assert _enrollment("ada", product.course_key) is None

    page.locator("#enroll-buy").click()
    expect(page).to_have_url(re.compile(re.escape(f"/commerce/checkout/{product.uuid}/")))
    page.get_by_role("button", name=re.compile("buy", re.I)).click()
    page.locator("#card-number").fill("4242 4242 4242 4242")
    page.get_by_role("button", name=re.compile("^pay", re.I)).click()
    expect(page.locator("#enrollment-state")).to_contain_text(re.compile("enrolled", re.I), timeout=15_000)
    enrollment = _enrollment("ada", product.course_key)
    assert enrollment is not None and enrollment.is_active and enrollment.mode == "verified"
