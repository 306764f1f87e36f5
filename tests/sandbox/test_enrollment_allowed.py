"""``/api/enrollment/v1/enrollment_allowed/``: staff-only invitations with the LMS's status codes."""
from __future__ import annotations

from sandbox.lms.models import CourseEnrollmentAllowed
from tests.sandbox.conftest import COURSE_KEY

URL = "/api/enrollment/v1/enrollment_allowed/"


def test_non_staff_is_403(api_as, bob, db):
    api = api_as(bob)
    assert api.get(URL).status_code == 403
    assert api.post(URL, {"email": "x@example.com", "course_id": COURSE_KEY}).status_code == 403
    assert CourseEnrollmentAllowed.objects.count() == 0


def test_anonymous_is_401(api_as, db):
    assert api_as(None).get(URL).status_code == 401


def test_slash_is_required(api_as, staffer, db):
    """Without the slash Django's CommonMiddleware redirects (as in the LMS); nothing is created."""
    api = api_as(staffer)
    assert api.get(URL.rstrip("/")).status_code == 301
    assert api.post(URL.rstrip("/"), {"email": "x@example.com", "course_id": COURSE_KEY}).status_code == 301
    assert CourseEnrollmentAllowed.objects.count() == 0


def test_post_creates_with_201_and_the_item(api_as, staffer, db):
    response = api_as(staffer).post(URL, {"email": "new@example.com", "course_id": COURSE_KEY, "auto_enroll": True})
    assert response.status_code == 201
    body = response.json()
    assert {k: body[k] for k in ("email", "course_id", "auto_enroll", "user")} == {
        "email": "new@example.com", "course_id": COURSE_KEY, "auto_enroll": True, "user": None}
    assert body["created"].endswith("Z")
    assert "id" not in body


def test_post_without_email_or_course_is_400(api_as, staffer, db):
    response = api_as(staffer).post(URL, {"email": "new@example.com"})
    assert response.status_code == 400
    assert response.json() == {"message": "Please provide a value for 'email' and 'course_id' in the request data."}


def test_duplicate_is_409(api_as, staffer, db):
    api = api_as(staffer)
    api.post(URL, {"email": "new@example.com", "course_id": COURSE_KEY})
    response = api.post(URL, {"email": "new@example.com", "course_id": COURSE_KEY})
    assert response.status_code == 409
    assert response.json() == {
        "message": f"An enrollment allowed with email new@example.com and course {COURSE_KEY} already exists."
    }


def test_get_lists_rows_for_an_email(api_as, staffer, db):
    CourseEnrollmentAllowed.objects.create(email="a@example.com", course_id=COURSE_KEY)
    CourseEnrollmentAllowed.objects.create(email="b@example.com", course_id=COURSE_KEY)
    response = api_as(staffer).get(URL, {"email": "a@example.com"})
    assert response.status_code == 200
    assert [row["email"] for row in response.json()] == ["a@example.com"]


def test_get_defaults_to_the_requesters_email(api_as, staffer, db):
    CourseEnrollmentAllowed.objects.create(email="staffer@example.com", course_id=COURSE_KEY)
    assert len(api_as(staffer).get(URL).json()) == 1
    assert api_as(staffer).get(URL, {"email": "nobody@example.com"}).json() == []


def test_delete_with_a_body_is_204(api_as, staffer, db):
    CourseEnrollmentAllowed.objects.create(email="a@example.com", course_id=COURSE_KEY)
    response = api_as(staffer).delete(URL, {"email": "a@example.com", "course_id": COURSE_KEY})
    assert response.status_code == 204
    assert CourseEnrollmentAllowed.objects.count() == 0


def test_delete_unknown_is_404(api_as, staffer, db):
    response = api_as(staffer).delete(URL, {"email": "a@example.com", "course_id": COURSE_KEY})
    assert response.status_code == 404
    assert response.json() == {
        "message": f"An enrollment allowed with email a@example.com and course {COURSE_KEY} doesn't exists."
    }


def test_delete_without_data_is_400(api_as, staffer, db):
    assert api_as(staffer).delete(URL, {}).status_code == 400
