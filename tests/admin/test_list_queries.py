"""Admin list pages run the same number of queries for 1 row as for 100 (issue 11.12).

Each count is pinned: a column that reads the database once per row makes the 100-row page
differ from the 1-row page and fails here.
"""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import order_row

#: Queries of each change list page (session, user, count, page, filters...), whatever its size.
EXPECTED = {"order": 8, "refund": 5, "grant": 7, "product": 7, "workgroupmember": 8}


def _orders(learner, product, size):
    for index in range(size):
        order_row(learner, product, status=("paid", "pending", "refunded")[index % 3])


def _refunds(learner, product, size):
    from commerce_plugin.models import Refund

    for _ in range(size):
        order = order_row(learner, product, status="paid")
        Refund.objects.create(order=order, amount=order.amount, currency=order.currency, status="requested",
                              source="learner", reason="window_closed", requested_by="learner")


def _grants(learner, product, size):
    from commerce_plugin.models import Grant

    for index in range(size):
        Grant.objects.create(email=f"person{index}@example.com", course_key=product.course_key, mode="verified",
                             source="order", source_ref=f"CP-{index}", starts_at=timezone.now())


def _products(learner, product, size):
    from commerce_plugin.models import Product

    product.seat_limit = 10
    product.save()
    order_row(learner, product, status="paid")
    for index in range(size - 1):
        Product.objects.create(title=f"Run {index}", course_key=product.course_key, mode="verified", price=100 + index,
                               currency="usd", seat_limit=5 if index % 2 else None)


def _members(learner, product, size):
    from commerce_plugin.models import AccessPerson, Workgroup, WorkgroupMember

    group = Workgroup.objects.create(name="Partners")
    for index in range(size):
        person = AccessPerson.objects.create(email=f"member{index}@example.com")
        WorkgroupMember.objects.create(workgroup=group, person=person,
                                       removal_date=timezone.now() + timedelta(days=index + 1))


BUILDERS = {"order": _orders, "refund": _refunds, "grant": _grants, "product": _products,
            "workgroupmember": _members}


@pytest.mark.parametrize("size", [1, 100])
@pytest.mark.parametrize("model", list(BUILDERS))
def test_a_change_list_runs_the_same_queries_for_1_and_100_rows(staff_client, learner, product, model, size,
                                                                django_assert_num_queries):
    BUILDERS[model](learner, product, size)
    url = f"/admin/commerce_plugin/{model}/"
    staff_client.get(url)  # warm what is cached per process (content types, site), not per page

    with django_assert_num_queries(EXPECTED[model]):
        response = staff_client.get(url)

    assert response.status_code == 200
    assert f"{size} " in response.content.decode()  # the paginator's "N <things>" line: every row is listed
