"""``GET /api/certificates/v0/certificates/{username}/courses/{course_id}/``, as the LMS's CertificatesDetailView.

Staff read anyone's, learners their own (anyone else: 403); no certificate is a 404 whose body is
only ``{"error_code": "no_certificate_for_user"}``; a certificate that was not earned is shown as is.
"""
from __future__ import annotations

from datetime import datetime

import pytest
from django.test import Client
from opaque_keys import InvalidKeyError

from sandbox.lms.models import GeneratedCertificate
from sandbox.lms.seed import issue_certificate
from tests.sandbox.conftest import COURSE_KEY

FORBIDDEN = {"detail": "You do not have permission to perform this action."}


def url(username: str, course_id: str = COURSE_KEY) -> str:
    return f"/api/certificates/v0/certificates/{username}/courses/{course_id}/"


def test_staff_reads_any_learners_certificate(api_as, staffer, bob, course_run):
    certificate = issue_certificate("bob", COURSE_KEY)

    response = api_as(staffer).get(url("bob"))

    assert response.status_code == 200
    body = response.json()
    assert body == {
        "username": "bob",
        "course_id": COURSE_KEY,
        "certificate_type": "verified",
        "created_date": body["created_date"],
        "status": "downloadable",
        "is_passing": True,
        "download_url": f"/certificates/{certificate.verify_uuid}",  # a web certificate's path
        "grade": "0.9",
    }
    # DRF's rendering of an aware datetime: ISO 8601, microseconds, "Z".
    assert body["created_date"].endswith("Z")
    assert datetime.fromisoformat(body["created_date"]) == certificate.created


def test_learner_reads_their_own(api_as, bob, course_run):
    issue_certificate("bob", COURSE_KEY, mode="professional", grade="0.75", download_url="https://pdf.example.com/c.pdf")

    response = api_as(bob).get(url("bob"))

    assert response.status_code == 200
    body = response.json()
    assert (body["certificate_type"], body["grade"]) == ("professional", "0.75")
    assert body["download_url"] == "https://pdf.example.com/c.pdf"  # a PDF certificate's own URL


def test_session_authentication_works_too(bob, course_run):
    issue_certificate("bob", COURSE_KEY)
    browser = Client()
    browser.force_login(bob)

    assert browser.get(url("bob")).status_code == 200


def test_another_learner_is_refused(api_as, bob, carol, course_run):
    issue_certificate("bob", COURSE_KEY)

    response = api_as(carol).get(url("bob"))

    # JWT_RESTRICTED_APPLICATION_OR_USER_ACCESS: a permission failure, so 403 (not the enrollment API's 404).
    assert (response.status_code, response.json()) == (403, FORBIDDEN)


def test_another_learner_is_refused_even_for_an_unknown_user(api_as, carol, db):
    assert api_as(carol).get(url("ghost")).status_code == 403


def test_anonymous_is_401(api_as, db):
    response = api_as(None).get(url("bob"))

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'JWT realm="api"'


def test_no_certificate_is_404_with_only_an_error_code(api_as, bob, course_run):
    response = api_as(bob).get(url("bob"))

    assert (response.status_code, response.json()) == (404, {"error_code": "no_certificate_for_user"})


def test_unknown_user_is_404_for_staff(api_as, staffer, db):
    response = api_as(staffer).get(url("ghost"))

    assert (response.status_code, response.json()) == (404, {"error_code": "no_certificate_for_user"})


def test_certificate_in_another_course_does_not_count(api_as, bob, course_run):
    issue_certificate("bob", "course-v1:SandboxT+Other+2026", download_url="https://pdf.example.com/o.pdf")

    assert api_as(bob).get(url("bob")).status_code == 404


@pytest.mark.parametrize(
    ("status", "is_passing"),
    [("notpassing", False), ("unavailable", False), ("generating", True), ("unverified", False)],
)
def test_a_certificate_not_downloadable_is_shown_as_it_is(api_as, staffer, bob, course_run, status, is_passing):
    issue_certificate("bob", COURSE_KEY, status=status, grade="0.3")

    body = api_as(staffer).get(url("bob")).json()

    assert (body["status"], body["is_passing"], body["grade"]) == (status, is_passing, "0.3")
    assert body["download_url"] is None  # only a downloadable certificate has one


@pytest.mark.parametrize("status", ["audit_passing", "audit_notpassing"])
def test_audit_certificates_are_invisible(api_as, staffer, bob, course_run, status):
    """The LMS reads through GeneratedCertificate.eligible_certificates, which drops these."""
    issue_certificate("bob", COURSE_KEY, status=status, mode="audit")

    response = api_as(staffer).get(url("bob"))

    assert (response.status_code, response.json()) == (404, {"error_code": "no_certificate_for_user"})


def test_web_certificate_of_an_unknown_course_is_no_certificate(api_as, staffer, bob, db):
    issue_certificate("bob", "course-v1:SandboxT+Gone+2020")

    assert api_as(staffer).get(url("bob", "course-v1:SandboxT+Gone+2020")).status_code == 404


def test_pdf_certificate_of_an_unknown_course_is_shown(api_as, staffer, bob, db):
    issue_certificate("bob", "course-v1:SandboxT+Gone+2020", download_url="https://pdf.example.com/g.pdf")

    assert api_as(staffer).get(url("bob", "course-v1:SandboxT+Gone+2020")).status_code == 200


def test_malformed_course_key_is_404_course_id_not_valid(api_as, staffer, db):
    response = api_as(staffer).get(url("bob", "not+a+key:"))

    assert (response.status_code, response.json()) == (404, {"error_code": "course_id_not_valid"})


def test_without_the_trailing_slash_django_redirects(api_as, staffer, db):
    """The route ends in a slash; CommonMiddleware's APPEND_SLASH redirects a GET (as in the LMS)."""
    response = api_as(staffer).get(url("bob").rstrip("/"))

    assert (response.status_code, response["Location"]) == (301, url("bob"))


def test_issue_certificate_updates_the_one_certificate(bob, course_run):
    first = issue_certificate("bob", COURSE_KEY)

    again = issue_certificate("bob", COURSE_KEY, status="unavailable")

    assert again.pk == first.pk
    assert GeneratedCertificate.objects.get().status == "unavailable"


def test_issue_certificate_validates(bob):
    with pytest.raises(InvalidKeyError):
        issue_certificate("bob", "not a key")
    with pytest.raises(ValueError, match="Unknown certificate status"):
        issue_certificate("bob", COURSE_KEY, status="earned")
