"""Routes of the miniature LMS, at the LMS's exact paths (slashes included; see contract section 11).

Included at the root by ``sandbox/urls.py``, so every pattern here is a full path.
"""
from __future__ import annotations

from django.urls import path, re_path

from sandbox.lms.views import accounts, certificates, control, courses, enrollment, oauth, pages

# The LMS's settings.USERNAME_PATTERN and settings.COURSE_ID_PATTERN.
USERNAME_PATTERN = r"(?P<username>[\w .@_+-]+)"
COURSE_ID_PATTERN = r"(?P<course_id>[^/+]+(/|\+)[^/+]+(/|\+)[^/?]+)"

ENROLLMENT_V1 = r"^api/enrollment/v1/"

urlpatterns = [
    # OAuth2 (lms/urls.py: path('oauth2/', include(oauth_dispatch.urls)); ^access_token/?$)
    re_path(r"^oauth2/access_token/?$", oauth.AccessTokenView.as_view(), name="access_token"),
    # Enrollment API v1 (openedx/core/djangoapps/enrollments/urls.py)
    re_path(
        rf"{ENROLLMENT_V1}enrollment/{USERNAME_PATTERN},{COURSE_ID_PATTERN}$",
        enrollment.EnrollmentView.as_view(),
        name="courseenrollment",
    ),
    re_path(
        rf"{ENROLLMENT_V1}enrollment/{COURSE_ID_PATTERN}$",
        enrollment.EnrollmentView.as_view(),
        name="courseenrollment_own",
    ),
    re_path(rf"{ENROLLMENT_V1}enrollment$", enrollment.EnrollmentListView.as_view(), name="courseenrollments"),
    re_path(
        rf"{ENROLLMENT_V1}enrollments/?$",
        enrollment.CourseEnrollmentsApiListView.as_view(),
        name="courseenrollmentsapilist",
    ),
    re_path(
        rf"{ENROLLMENT_V1}course/{COURSE_ID_PATTERN}$",
        enrollment.EnrollmentCourseDetailView.as_view(),
        name="courseenrollmentdetails",
    ),
    re_path(
        rf"{ENROLLMENT_V1}enrollment_allowed/$",
        enrollment.EnrollmentAllowedView.as_view(),
        name="courseenrollmentallowed",
    ),
    # User accounts API (openedx/core/djangoapps/user_api/urls.py)
    re_path(r"^api/courses/v1/courses/?$", courses.course_list, name="course-list"),
    re_path(r"^api/user/v1/accounts$", accounts.AccountListView.as_view(), name="accounts_list_api"),
    re_path(rf"^api/user/v1/accounts/{USERNAME_PATTERN}$", accounts.AccountDetailView.as_view(),
            name="accounts_detail_api"),
    # Certificates API v0 (lms/djangoapps/certificates/apis/v0/urls.py; trailing slash required)
    re_path(
        rf"^api/certificates/v0/certificates/{USERNAME_PATTERN}/courses/{COURSE_ID_PATTERN}/$",
        certificates.CertificatesDetailView.as_view(),
        name="certificates_detail",
    ),
    # Sandbox control plane (tests and demo only)
    path("sandbox/faults", control.faults_view, name="sandbox_faults"),
    path("sandbox/calls", control.calls_view, name="sandbox_calls"),
    # Learner pages
    path("", pages.home, name="home"),
    path("login", pages.SandboxLoginView.as_view(), name="login"),
    path("logout", pages.SandboxLogoutView.as_view(), name="logout"),
    path("register", pages.register, name="register"),
    path("activate/<str:uidb64>/<str:token>", pages.activate, name="activate"),
    path("dashboard", pages.dashboard, name="dashboard"),
    path("change_enrollment", pages.change_enrollment, name="change_enrollment"),
    re_path(r"^courses/(?P<course_id>[^/]+)/courseware/?$", pages.courseware, name="courseware"),
]
