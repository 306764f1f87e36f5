"""Fixtures of the refund tests: an order bought and enrolled over the real stack."""
from __future__ import annotations

import pytest

from commerce_plugin import api
from commerce_plugin.models import Order
from tests.conftest import wait_for


@pytest.fixture
def bought(shop, product, learner):
    """``learner`` (ada) bought ``product``, paid with 4242 on the stand-in's page, and is enrolled."""
    placed = api.create_order(learner, product.uuid, base_url=shop.url)
    shop.pay(placed.checkout_url)
    assert wait_for(lambda: Order.objects.get(number=placed.number).status == "fulfilled", timeout=15)
    shop.stripe.wait_for_deliveries()
    return Order.objects.get(number=placed.number)


def lms_enrollment(username, course_id):
    from sandbox.lms.models import CourseEnrollment

    return CourseEnrollment.objects.filter(user__username=username, course__course_id=course_id).first()
