"""Production checks an operator can trust (issue 7.5): one command and the status page, against
the live sandbox LMS and the Stripe stand-in; and the start-up system check for secrets."""
from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from commerce_plugin import api
from commerce_plugin.checks import check_production_secrets
from tests.conftest import wait_for
from tests.rest_api.conftest import make_product


def _by_name(checks):
    return {check.name: check for check in checks}


def test_a_fresh_install_says_what_is_missing_before_the_first_sale(shop, product):
    checks = _by_name(api.production_checks())

    assert checks["lms"].ok and "commerce_service is staff" in checks["lms"].detail
    assert checks["stripe_key"].ok and "test mode" in checks["stripe_key"].detail
    assert checks["webhook_secret"].ok
    assert not checks["last_webhook"].ok and "no webhook received yet" in checks["last_webhook"].detail
    assert not checks["job:process_due_syncs"].ok and checks["job:process_due_syncs"].detail == "never ran"
    assert "cron" in checks["job:expire_orders"].fix
    assert checks["products"].ok and "1 product(s) on sale" in checks["products"].detail


def test_after_a_sale_and_a_job_run_everything_is_ready(shop, product, learner):
    from commerce_plugin.models import Order

    placed = api.create_order(learner, product.uuid, base_url=shop.url)
    shop.pay(placed.checkout_url)
    assert wait_for(lambda: Order.objects.get(number=placed.number).status == "fulfilled", timeout=15)
    shop.stripe.wait_for_deliveries()
    api.process_due_syncs()
    api.process_due_refunds()
    api.expire_orders()
    api.process_due_webhooks()
    api.apply_time_windows()

    out = io.StringIO()
    call_command("commerce_check", stdout=out)

    text = out.getvalue()
    assert "Ready for a sale." in text and "FAIL" not in text
    assert "verified" in _by_name(api.production_checks())["last_webhook"].detail


def test_a_product_of_a_course_run_or_mode_the_lms_lacks_is_named(lms, course, settings):
    make_product(course.course_id, title="Good", mode="verified")
    make_product(course.course_id, title="No such mode", mode="professional")
    make_product("course-v1:Nowhere+Missing+2026", title="No such run")

    check = _by_name(api.production_checks())["products"]

    assert not check.ok
    assert "No such mode (course-v1:TestX+Contract+2026, professional)" in check.detail
    assert "No such run (course-v1:Nowhere+Missing+2026, verified)" in check.detail
    assert "Good" not in check.detail


def test_a_missing_or_refused_stripe_key_is_reported_and_the_command_fails(lms, settings):
    settings.COMMERCE_STRIPE_SECRET_KEY = ""
    assert "not set" in _by_name(api.production_checks())["stripe_key"].detail

    settings.COMMERCE_STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens: Stripe unreachable
    settings.COMMERCE_STRIPE_SECRET_KEY = "sk_test_real_looking"
    settings.COMMERCE_STRIPE_MAX_NETWORK_RETRIES = 0
    check = _by_name(api.production_checks())["stripe_key"]
    assert not check.ok and "could not be reached" in check.detail

    out = io.StringIO()
    with pytest.raises(CommandError, match="need attention"):
        call_command("commerce_check", stdout=out)
    assert "FAIL stripe_key" in out.getvalue() and "fix: " in out.getvalue()
    assert "sk_test_real_looking" not in out.getvalue()  # secrets never printed


def test_the_status_page_shows_the_checks_to_staff(shop, product):
    from sandbox.lms.seed import create_user
    from tests.conftest import http_login

    create_user("root", "root@example.com", password="root-password", staff=True)
    page = http_login(shop.url, "root", "root-password").get(f"{shop.url}/commerce/status/", timeout=15)

    assert 'data-check="stripe_key" data-ok="true"' in page.text
    assert 'data-check="last_webhook" data-ok="false"' in page.text


@pytest.mark.parametrize(("name", "check_id"), [
    ("COMMERCE_STRIPE_SECRET_KEY", "commerce_plugin.W001"),
    ("COMMERCE_STRIPE_WEBHOOK_SECRET", "commerce_plugin.W002"),
    ("COMMERCE_LMS_OAUTH_CLIENT_SECRET", "commerce_plugin.W003"),
])
def test_start_up_warns_about_a_missing_or_placeholder_secret_in_production(name, check_id):
    good = {"COMMERCE_STRIPE_SECRET_KEY": "sk_live_abc", "COMMERCE_STRIPE_WEBHOOK_SECRET": "whsec_abc",
            "COMMERCE_LMS_OAUTH_CLIENT_SECRET": "x7Q2mK9pL4nR8sT1"}
    with override_settings(DEBUG=False, **good):
        assert check_production_secrets() == []
    for bad in ("", "changeme", "dummy-secret"):
        with override_settings(DEBUG=False, **{**good, name: bad}):
            assert [warning.id for warning in check_production_secrets()] == [check_id]
        with override_settings(DEBUG=True, **{**good, name: bad}):
            assert check_production_secrets() == []


def test_start_up_warns_about_a_test_mode_key_in_production():
    with override_settings(DEBUG=False, COMMERCE_STRIPE_SECRET_KEY="sk_test_abc",
                           COMMERCE_STRIPE_WEBHOOK_SECRET="whsec_abc", COMMERCE_LMS_OAUTH_CLIENT_SECRET="s3cr3t-v4lue"):
        assert [warning.id for warning in check_production_secrets()] == ["commerce_plugin.W004"]
