"""The sync engine under LMS failure: retried with backoff, parked when refused, nothing lost."""
from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from commerce_plugin import api
from commerce_plugin.models import EnrollmentSync, Order, SyncAttempt
from tests.conftest import lms_calls, wait_for


def _enrollment(username, course_id):
    from sandbox.lms.models import CourseEnrollment

    return CourseEnrollment.objects.filter(user__username=username, course__course_id=course_id).first()


def test_lms_down_for_a_while_is_retried_with_backoff_until_the_enrollment_exists(shop, product, learner):
    from sandbox.lms.faults import arm_fault

    api.check_lms_connection()  # the token is cached: the faults below hit the enrollment calls
    arm_fault("503", 3, path_prefix="/api/enrollment/")
    order = api.create_order(learner, product.uuid, base_url=shop.url)
    shop.pay(order.checkout_url)

    assert wait_for(lambda: Order.objects.get(number=order.number).status == "paid"
                    and EnrollmentSync.objects.filter(state="retrying").exists(), timeout=15)
    sync = EnrollmentSync.objects.get()
    first_delay = sync.next_attempt_at - sync.modified
    assert sync.attempts == 1 and "503" in sync.last_error
    assert _enrollment("ada", product.course_key) is None

    # Nothing is due before the backoff has passed.
    assert api.process_due_syncs(now=timezone.now()) == {}

    # Two more runs, each after its (doubling) delay, still meet the outage.
    delays = [first_delay]
    for expected_attempts in (2, 3):
        before = EnrollmentSync.objects.get().next_attempt_at
        assert api.process_due_syncs(now=before + timedelta(seconds=1)) == {"retrying": 1}
        sync = EnrollmentSync.objects.get()
        assert sync.attempts == expected_attempts
        delays.append(sync.next_attempt_at - (before + timedelta(seconds=1)))
    assert delays[1] > delays[0] and delays[2] > delays[1], delays

    # The LMS is back: the next due run enrolls, and the paid order becomes fulfilled.
    assert api.process_due_syncs(now=sync.next_attempt_at + timedelta(seconds=1)) == {"in_sync": 1}
    enrollment = _enrollment("ada", product.course_key)
    assert enrollment.is_active and enrollment.mode == "verified"
    assert Order.objects.get(number=order.number).status == "fulfilled"
    assert list(SyncAttempt.objects.order_by("id").values_list("outcome", flat=True)) == [
        "transient", "transient", "transient", "ok"]


def test_a_refusal_by_the_lms_leaves_a_visible_failed_sync(shop, product, learner):
    from sandbox.lms.models import CourseOverview

    # The LMS no longer knows the course run: a permanent 400, not worth retrying.
    CourseOverview.objects.filter(course_id=product.course_key).delete()
    order = api.create_order(learner, product.uuid, base_url=shop.url)
    shop.pay(order.checkout_url)

    assert wait_for(lambda: EnrollmentSync.objects.filter(state="failed").exists(), timeout=15)
    sync = EnrollmentSync.objects.get()
    assert sync.next_attempt_at is None
    assert "400" in sync.last_error and "No course" in sync.last_error
    assert Order.objects.get(number=order.number).status == "paid"  # paid, visibly not enrolled: nothing lost
    assert api.process_due_syncs(now=timezone.now() + timedelta(days=1)) == {}  # failed waits for staff


def test_retry_now_after_the_cause_is_fixed_enrolls(shop, product, learner):
    from sandbox.lms.models import CourseOverview
    from sandbox.lms.seed import create_course

    CourseOverview.objects.filter(course_id=product.course_key).delete()
    order = api.create_order(learner, product.uuid, base_url=shop.url)
    shop.pay(order.checkout_url)
    assert wait_for(lambda: EnrollmentSync.objects.filter(state="failed").exists(), timeout=15)

    create_course(str(product.course_key), display_name="Back again")
    assert api.retry_sync(EnrollmentSync.objects.get().pk) == "in_sync"
    assert _enrollment("ada", product.course_key).is_active
    assert Order.objects.get(number=order.number).status == "fulfilled"


def test_an_unchanged_pair_makes_no_lms_call(shop, product, learner):
    order = api.create_order(learner, product.uuid, base_url=shop.url)
    shop.pay(order.checkout_url)
    assert wait_for(lambda: Order.objects.get(number=order.number).status == "fulfilled", timeout=15)
    calls = lms_calls()

    assert api.sync_enrollment(EnrollmentSync.objects.get().pk) == "in_sync"
    assert lms_calls() == calls
