"""The enrollment read endpoints: one enrollment, a user's list, course details, the staff list."""
from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from django.utils import timezone

from sandbox.lms.models import CourseEnrollment, CourseMode
from sandbox.lms.seed import create_course, create_user
from tests.sandbox.conftest import COURSE_KEY

ONE = "/api/enrollment/v1/enrollment/{username},{course_id}"


def test_missing_enrollment_is_200_with_an_empty_body(api_as, bob, course_run):
    response = api_as(bob).get(ONE.format(username="bob", course_id=COURSE_KEY))
    assert response.status_code == 200
    assert response.content == b""


def test_enrollment_in_an_unknown_course_is_also_200_empty(api_as, bob, db):
    response = api_as(bob).get(ONE.format(username="bob", course_id="course-v1:No+Such+Run"))
    assert (response.status_code, response.content) == (200, b"")


def test_someone_elses_enrollment_is_404_empty_for_non_staff(api_as, bob, carol, course_run):
    CourseEnrollment.objects.create(user=carol, course=course_run)
    response = api_as(bob).get(ONE.format(username="carol", course_id=COURSE_KEY))
    assert (response.status_code, response.content) == (404, b"")


def test_staff_reads_anyones_enrollment_including_inactive(api_as, staffer, carol, course_run):
    CourseEnrollment.objects.create(user=carol, course=course_run, mode="verified", is_active=False)
    response = api_as(staffer).get(ONE.format(username="carol", course_id=COURSE_KEY))
    assert response.status_code == 200
    body = response.json()
    assert (body["user"], body["mode"], body["is_active"]) == ("carol", "verified", False)


def test_own_enrollment_by_course_id_only(api_as, bob, course_run):
    CourseEnrollment.objects.create(user=bob, course=course_run)
    response = api_as(bob).get(f"/api/enrollment/v1/enrollment/{COURSE_KEY}")
    assert (response.status_code, response.json()["user"]) == (200, "bob")


def test_usernames_with_dots_and_at_signs_are_routed(api_as, staffer, course_run):
    odd = create_user("j.doe@home", "jdoe@example.com")
    CourseEnrollment.objects.create(user=odd, course=course_run)
    response = api_as(staffer).get(ONE.format(username="j.doe@home", course_id=COURSE_KEY))
    assert response.json()["user"] == "j.doe@home"


def test_list_has_active_enrollments_only_oldest_first(api_as, bob, course_run):
    second = create_course("course-v1:SandboxT+Second+2026")
    third = create_course("course-v1:SandboxT+Third+2026")
    CourseEnrollment.objects.create(user=bob, course=second)
    CourseEnrollment.objects.create(user=bob, course=course_run)
    CourseEnrollment.objects.create(user=bob, course=third, is_active=False)

    response = api_as(bob).get("/api/enrollment/v1/enrollment")

    assert response.status_code == 200
    assert [e["course_details"]["course_id"] for e in response.json()] == [second.course_id, COURSE_KEY]


def test_list_for_an_unknown_user_is_empty(api_as, staffer, db):
    response = api_as(staffer).get("/api/enrollment/v1/enrollment", {"user": "ghost"})
    assert (response.status_code, response.json()) == (200, [])


def test_staff_lists_another_users_enrollments(api_as, staffer, bob, course_run):
    CourseEnrollment.objects.create(user=bob, course=course_run)
    assert len(api_as(staffer).get("/api/enrollment/v1/enrollment", {"user": "bob"}).json()) == 1


def test_non_staff_listing_another_user_sees_nothing(api_as, bob, carol, course_run):
    CourseEnrollment.objects.create(user=carol, course=course_run)
    assert api_as(bob).get("/api/enrollment/v1/enrollment", {"user": "carol"}).json() == []


def test_enrollment_list_has_no_trailing_slash_route(api_as, bob, db):
    assert api_as(bob).get("/api/enrollment/v1/enrollment/").status_code == 404


# --- course details ------------------------------------------------------------------------------

def test_course_details_need_no_authentication(client, course_run):
    response = client.get(f"/api/enrollment/v1/course/{COURSE_KEY}")
    assert response.status_code == 200
    assert response.json()["course_id"] == COURSE_KEY


def test_course_details_ignore_a_bad_token(client, course_run):
    response = client.get(f"/api/enrollment/v1/course/{COURSE_KEY}", HTTP_AUTHORIZATION="JWT garbage")
    assert response.status_code == 200


def test_unknown_course_details_are_400(client, db):
    response = client.get("/api/enrollment/v1/course/course-v1:No+Such+Run")
    assert response.status_code == 400
    assert response.json() == {"message": "No course found for course ID 'course-v1:No+Such+Run'"}


def test_expired_modes_are_listed_only_on_request(client, course_run):
    CourseMode.objects.filter(mode_slug="verified").update(expiration_datetime=timezone.now() - timedelta(hours=1))
    url = f"/api/enrollment/v1/course/{COURSE_KEY}"
    assert [m["slug"] for m in client.get(url).json()["course_modes"]] == ["audit"]
    expired = client.get(url, {"include_expired": "1"}).json()["course_modes"]
    assert [m["slug"] for m in expired] == ["audit", "verified"]
    assert expired[1]["expiration_datetime"].endswith("Z")


def test_self_paced_courses_say_so(client, db):
    course = create_course(COURSE_KEY)
    course.self_paced = True
    course.save()
    assert client.get(f"/api/enrollment/v1/course/{COURSE_KEY}").json()["pacing_type"] == "Self Paced"


# --- staff list ----------------------------------------------------------------------------------

def test_staff_list_is_403_for_non_staff_and_401_for_anonymous(api_as, bob, db):
    assert api_as(bob).get("/api/enrollment/v1/enrollments").status_code == 403
    assert api_as(None).get("/api/enrollment/v1/enrollments").status_code == 401


def test_staff_list_with_and_without_trailing_slash(api_as, staffer, db):
    api = api_as(staffer)
    assert api.get("/api/enrollment/v1/enrollments").status_code == 200
    assert api.get("/api/enrollment/v1/enrollments/").status_code == 200


def test_staff_list_filters_and_item_shape(api_as, staffer, bob, carol, course_run):
    other = create_course("course-v1:SandboxT+Other+2026")
    CourseEnrollment.objects.create(user=bob, course=course_run, mode="verified")
    CourseEnrollment.objects.create(user=carol, course=course_run, is_active=False)
    CourseEnrollment.objects.create(user=bob, course=other)
    api = api_as(staffer)

    by_course = api.get("/api/enrollment/v1/enrollments", {"course_id": COURSE_KEY}).json()
    assert set(by_course) == {"next", "previous", "results"}
    assert sorted(item["user"] for item in by_course["results"]) == ["bob", "carol"]
    item = next(item for item in by_course["results"] if item["user"] == "bob")
    assert set(item) == {"created", "mode", "is_active", "user", "course_id"}
    assert (item["mode"], item["course_id"]) == ("verified", COURSE_KEY)

    by_users = api.get("/api/enrollment/v1/enrollments", {"username": "carol,nobody"}).json()["results"]
    assert [item["user"] for item in by_users] == ["carol"]
    by_email = api.get("/api/enrollment/v1/enrollments", {"email": "bob@example.com"}).json()["results"]
    assert len(by_email) == 2


def test_staff_list_rejects_an_invalid_course_id(api_as, staffer, db):
    assert api_as(staffer).get("/api/enrollment/v1/enrollments", {"course_id": "bad"}).status_code == 400


def test_staff_list_pages_are_followed_through_next(api_as, staffer, course_run, settings):
    settings.SANDBOX_ENROLLMENTS_PAGE_SIZE = 2
    for index in range(5):
        CourseEnrollment.objects.create(user=create_user(f"u{index}", f"u{index}@example.com"), course=course_run)
    api = api_as(staffer)

    seen, pages = [], 0
    page = api.get("/api/enrollment/v1/enrollments", {"course_id": COURSE_KEY}).json()
    while True:
        pages += 1
        seen += [item["user"] for item in page["results"]]
        if not page["next"]:
            break
        assert page["next"].startswith("http://testserver/api/enrollment/v1/enrollments")
        parts = urlsplit(page["next"])
        page = api.get(f"{parts.path}?{parts.query}").json()

    assert pages == 3
    assert seen == [f"u{index}" for index in range(5)]
