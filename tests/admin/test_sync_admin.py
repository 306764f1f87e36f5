"""Enrollment syncs in the admin: failures are visible, and "Retry now" runs the sync through the API."""
from __future__ import annotations

from commerce_plugin import api
from commerce_plugin.models import EnrollmentSync, Order, Product

CHANGELIST = "/admin/commerce_plugin/enrollmentsync/"


def _free_order_while_the_lms_is_down(learner, course):
    """A free order (paid at once, so its sync runs right away) while the LMS answers 503."""
    from sandbox.lms.faults import arm_fault

    product = Product.objects.create(title="Free run", course_key=course.course_id, mode="audit", price=0)
    arm_fault("503", 20, path_prefix="/api/enrollment/")
    order = api.create_order(learner, product.uuid, base_url="http://testserver/")
    sync = EnrollmentSync.objects.get(email="ada@example.com")
    assert sync.state == "retrying" and sync.attempts >= 1, (sync.state, sync.last_error)
    return order, sync


def test_retry_now_enrolls_once_the_lms_is_back(lms, course, learner, staff_client):
    from sandbox.lms.faults import clear_faults

    order, sync = _free_order_while_the_lms_is_down(learner, course)
    clear_faults()

    response = staff_client.post(CHANGELIST, {"action": "retry_now", "_selected_action": [sync.pk]}, follow=True)

    sync.refresh_from_db()
    assert sync.state == "in_sync" and sync.lms_active is True
    assert Order.objects.get(number=order.number).status == "fulfilled"
    assert "Retried: ada@example.com / course-v1:TestX+Contract+2026: in sync." in response.content.decode()


def test_retry_now_while_the_lms_is_still_down_says_so(lms, course, learner, staff_client):
    _order, sync = _free_order_while_the_lms_is_down(learner, course)
    attempts_before = sync.attempt_log.count()

    response = staff_client.post(CHANGELIST, {"action": "retry_now", "_selected_action": [sync.pk]}, follow=True)

    sync.refresh_from_db()
    assert sync.state == "retrying" and sync.attempt_log.count() > attempts_before
    assert "ada@example.com / course-v1:TestX+Contract+2026: retrying" in response.content.decode()


def test_sync_list_and_page_show_state_error_and_attempts(staff_client, paid_order):
    listing = staff_client.get(CHANGELIST, {"state__exact": "retrying"}).content.decode()
    assert "ada@example.com" in listing and "LMS enroll failed: status=503" in listing
    assert "never read" in listing

    sync = EnrollmentSync.objects.get()
    page = staff_client.get(f"{CHANGELIST}{sync.pk}/change/").content.decode()
    assert "Service Unavailable &lt;script&gt;" in page and "transient" in page
    assert 'name="_save"' not in page
    assert staff_client.get(f"{CHANGELIST}add/").status_code == 403


def test_grants_and_stripe_events_are_listed_read_only(staff_client, paid_order):
    from commerce_plugin.models import Grant

    Grant.objects.create(email="ada@example.com", course_key=paid_order.course_key, mode="verified", source="order",
                         source_ref=str(paid_order.uuid), starts_at=paid_order.created)
    grants = staff_client.get("/admin/commerce_plugin/grant/", {"q": "ada@example.com"}).content.decode()
    assert str(paid_order.uuid) in grants
    assert staff_client.get("/admin/commerce_plugin/grant/add/").status_code == 403

    events = staff_client.get("/admin/commerce_plugin/stripeevent/", {"q": "evt_admin_1"}).content.decode()
    assert "checkout.session.completed" in events
    assert staff_client.get("/admin/commerce_plugin/stripeevent/add/").status_code == 403
