"""User retirement (issue 11.13): the LMS's retirement signal makes the plugin forget the person's
email in orders, grants and syncs; money records are kept whole."""
from __future__ import annotations

from commerce_plugin.models import EnrollmentSync, Grant, Order, Payment
from commerce_plugin.retirement import retired_email


def test_retiring_a_buyer_replaces_their_email_and_keeps_the_money(bought, learner):
    from sandbox.lms.retirement import retire_user
    from sandbox.lms.seed import create_user

    other = create_user("bob", "bob@example.com")
    Order.objects.create(number="CP-OTHER0001", user=other, email="bob@example.com", product=bought.product,
                         course_key=bought.course_key, mode=bought.mode, amount=bought.amount,
                         currency=bought.currency)
    payments_before = list(Payment.objects.values_list("kind", "amount", "currency", "stripe_id"))

    retire_user(learner)

    replacement = retired_email(learner.pk)
    order = Order.objects.get(pk=bought.pk)
    assert order.email == replacement and order.amount == bought.amount and order.status == "fulfilled"
    assert set(Grant.objects.filter(user=learner).values_list("email", flat=True)) == {replacement}
    assert set(EnrollmentSync.objects.filter(user=learner).values_list("email", flat=True)) == {replacement}
    assert not Order.objects.filter(email__iexact="ada@example.com").exists()
    assert not Grant.objects.filter(email__iexact="ada@example.com").exists()
    assert list(Payment.objects.values_list("kind", "amount", "currency", "stripe_id")) == payments_before
    assert Order.objects.get(number="CP-OTHER0001").email == "bob@example.com"  # nobody else touched


def test_a_grant_to_an_email_without_an_account_link_is_found_by_email(lms, course):
    from django.db import transaction

    from commerce_plugin import api
    from commerce_plugin.data import GrantSource
    from commerce_plugin.grants.ledger import add_grant

    with transaction.atomic():
        add_grant(email="Later@Example.com", course_key=course.course_id, mode="verified", source=GrantSource.STAFF,
                  source_ref="test:later")

    assert api.retire_user(4242, "later@example.com")["grants"] == 1
    assert Grant.objects.get().email == retired_email(4242)
