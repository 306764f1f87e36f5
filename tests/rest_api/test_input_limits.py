"""Length limits: the API accepts exactly what the columns hold (issue 11.2).

Meant for MariaDB (``make test-mysql``): SQLite ignores column lengths, so on SQLite these only
show the API's side; on MariaDB a 1,000-character reason used to give a 500 after the products
were already withdrawn.
"""
from __future__ import annotations

import pytest
from django.db import DatabaseError

from commerce_plugin import api
from commerce_plugin.limits import NOTE_MAX_LENGTH
from commerce_plugin.models import Order, Product, Refund, RefundStatusChange

LONGEST = "r" * NOTE_MAX_LENGTH
TOO_LONG = "r" * (NOTE_MAX_LENGTH + 1)


def test_a_staff_refund_with_the_longest_reason_is_stored_whole(as_user, staff, bought):
    response = as_user(staff).post(f"/orders/{bought.number}/refund/", {"reason": LONGEST})

    assert response.status_code == 201, response.text
    assert RefundStatusChange.objects.filter(refund__order=bought, reason=LONGEST).exists()
    assert Refund.objects.get(order=bought).note == LONGEST


def test_a_staff_refund_with_a_longer_reason_is_refused_and_nothing_is_written(as_user, staff, bought):
    response = as_user(staff).post(f"/orders/{bought.number}/refund/", {"reason": TOO_LONG})

    assert response.status_code == 400 and "reason" in response.json(), response.text
    assert not Refund.objects.filter(order=bought).exists()


def test_withdrawing_with_the_longest_reason_refunds_everyone(as_user, staff, bought, product):
    response = as_user(staff).post(f"/course-runs/{product.course_key}/cancel-sales/", {"reason": LONGEST})

    assert response.status_code == 200, response.text
    assert response.json()["refunded"] == [bought.number]
    assert Refund.objects.get(order=bought).note == LONGEST
    assert Product.objects.get(pk=product.pk).is_active is False


def test_withdrawing_with_a_longer_reason_changes_nothing(as_user, staff, bought, product):
    response = as_user(staff).post(f"/course-runs/{product.course_key}/cancel-sales/", {"reason": TOO_LONG})

    assert response.status_code == 400 and "reason" in response.json()
    assert Product.objects.get(pk=product.pk).is_active is True
    assert not Refund.objects.filter(order=bought).exists()


def test_withdrawing_is_all_or_nothing_when_a_refund_cannot_be_written(staff, bought, product, monkeypatch):
    from commerce_plugin.refunds import service

    def broken(*args, **kwargs):
        raise DatabaseError("the refund row could not be written")

    monkeypatch.setattr(service, "_create_refund", broken)

    with pytest.raises(DatabaseError):
        api.cancel_course_sales(str(product.course_key), staff=staff, reason="course removed")

    assert Product.objects.get(pk=product.pk).is_active is True  # still on sale: nothing half-done
    assert Order.objects.get(pk=bought.pk).status == "fulfilled"
    assert not Refund.objects.filter(order=bought).exists()
