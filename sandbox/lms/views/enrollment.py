"""Views of ``/api/enrollment/v1/``: thin HTTP wrappers over ``sandbox.lms.enrollment``.

Status codes and bodies are the LMS's (contract section 2), including its oddities: 200 with an empty
body for a missing enrollment, 404 with an empty body for someone else's, and 200 (not 201) on create.
"""
from __future__ import annotations

from django.conf import settings
from django.db.models import Q
from rest_framework import status
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import AllowAny, IsAdminUser, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sandbox.lms.enrollment import allowed as allowed_service
from sandbox.lms.enrollment import service
from sandbox.lms.enrollment.errors import (
    BadRequest,
    EnrollmentFailed,
    EnrollmentNotAllowed,
    EnrollmentServiceError,
    HiddenFromRequester,
    InvalidEnrollmentAttribute,
    ModeForbidden,
    ModeUnavailable,
    UserNotFound,
)
from sandbox.lms.enrollment.serializers import course_details, enrollment_dict, staff_list_item
from sandbox.lms.models import CourseEnrollment
from sandbox.lms.throttling import EnrollmentAnonThrottle, EnrollmentUserThrottle

MAX_USERNAMES = 100


def _error_response(exc: EnrollmentServiceError) -> Response:
    """Map a service failure to the LMS's answer."""
    if isinstance(exc, HiddenFromRequester):
        return Response(status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, UserNotFound):
        return Response({"message": exc.message}, status=status.HTTP_406_NOT_ACCEPTABLE)
    if isinstance(exc, ModeForbidden):
        return Response({"message": exc.message}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, (EnrollmentNotAllowed, InvalidEnrollmentAttribute)):
        code = status.HTTP_403_FORBIDDEN if isinstance(exc, EnrollmentNotAllowed) else status.HTTP_400_BAD_REQUEST
        return Response({"message": exc.message, "localizedMessage": exc.message}, status=code)
    if isinstance(exc, ModeUnavailable):
        return Response(
            {"message": exc.message, "course_details": exc.course_details}, status=status.HTTP_400_BAD_REQUEST
        )
    if isinstance(exc, (BadRequest, EnrollmentFailed)):
        return Response({"message": exc.message}, status=status.HTTP_400_BAD_REQUEST)
    raise exc  # an unmapped failure is a bug in the stand-in: let it surface as a 500


class EnrollmentView(APIView):
    """``GET enrollment/{username},{course_id}`` and ``GET enrollment/{course_id}`` (own)."""

    permission_classes = [IsAuthenticated]
    throttle_classes = [EnrollmentUserThrottle]

    def get(self, request: Request, course_id: str, username: str | None = None, **_: str) -> Response:
        username = username or request.user.get_username()
        if username != request.user.get_username() and not service.is_global_staff(request.user):
            return Response(status=status.HTTP_404_NOT_FOUND)
        enrollment = service.get_enrollment(username, course_id)
        if enrollment is None:
            return Response(None, status=status.HTTP_200_OK)  # rendered as an empty body
        return Response(enrollment_dict(enrollment))


class EnrollmentListView(APIView):
    """``GET enrollment[?user=]`` (active enrollments) and ``POST enrollment`` (create or update)."""

    permission_classes = [IsAuthenticated]
    throttle_classes = [EnrollmentUserThrottle]

    def get(self, request: Request) -> Response:
        username = request.query_params.get("user", request.user.get_username())
        if username != request.user.get_username() and not service.is_global_staff(request.user):
            return Response([])  # the LMS filters to courses where the requester is course staff: none here
        return Response([enrollment_dict(e) for e in service.active_enrollments(username)])

    def post(self, request: Request) -> Response:
        data = request.data if hasattr(request.data, "get") else {}
        try:
            enrollment = service.post_enrollment(request.user, data)
        except EnrollmentServiceError as exc:
            return _error_response(exc)
        return Response(enrollment_dict(enrollment), status=status.HTTP_200_OK)


class EnrollmentCursorPagination(CursorPagination):
    """The LMS's ``CourseEnrollmentsApiListPagination``; page size read per request for tests."""

    ordering = ("created", "id")
    page_size_query_param = None

    def get_page_size(self, request: Request) -> int:
        return int(getattr(settings, "SANDBOX_ENROLLMENTS_PAGE_SIZE", 100))


def _comma_list(value: str | None) -> list[str]:
    return [item.strip() for item in (value or "").split(",") if item.strip()]


class CourseEnrollmentsApiListView(APIView):
    """``GET enrollments``: every enrollment (active or not), staff only, cursor-paginated."""

    permission_classes = [IsAdminUser]
    throttle_classes = [EnrollmentUserThrottle]
    pagination_class = EnrollmentCursorPagination

    def get(self, request: Request) -> Response:
        params = request.query_params
        errors: dict[str, list[str]] = {}
        queryset = CourseEnrollment.objects.select_related("user", "course")

        course_id = params.get("course_id")
        if course_id:
            if service.parse_course_key(course_id) is None:
                errors["course_id"] = [f"'{course_id}' is not a valid course id."]
            queryset = queryset.filter(course__course_id=course_id)
        course_ids = _comma_list(params.get("course_ids"))
        if course_ids:
            match = Q()
            for fragment in course_ids:
                match |= Q(course__course_id__icontains=fragment)
            queryset = queryset.filter(match)
        usernames = _comma_list(params.get("username"))
        if len(usernames) > MAX_USERNAMES:
            errors["username"] = [f"Too many usernames in a single request - {len(usernames)}. "
                                  f"A maximum of {MAX_USERNAMES} is allowed"]
        if usernames:
            queryset = queryset.filter(user__username__in=usernames)
        emails = _comma_list(params.get("email"))
        if emails:
            queryset = queryset.filter(user__email__in=emails)
        if errors:
            return Response(errors, status=status.HTTP_400_BAD_REQUEST)

        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, request, view=self)
        return paginator.get_paginated_response([staff_list_item(e) for e in page])


class EnrollmentCourseDetailView(APIView):
    """``GET course/{course_id}[?include_expired=1]``: public course details."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [EnrollmentAnonThrottle]

    def get(self, request: Request, course_id: str, **_: str) -> Response:
        course = service.get_course(course_id)
        if course is None:
            return Response(
                {"message": f"No course found for course ID '{course_id}'"}, status=status.HTTP_400_BAD_REQUEST
            )
        include_expired = request.query_params.get("include_expired", "") in ("1", "true", "True")
        return Response(course_details(course, include_expired=include_expired))


class EnrollmentAllowedView(APIView):
    """``enrollment_allowed/``: staff-managed invitations (GET list, POST create, DELETE with a body)."""

    permission_classes = [IsAdminUser]
    throttle_classes = [EnrollmentUserThrottle]

    def get(self, request: Request) -> Response:
        email = request.query_params.get("email", request.user.email)
        return Response([allowed_service.allowed_dict(row) for row in allowed_service.list_allowed(email)])

    def post(self, request: Request) -> Response:
        data = request.data if hasattr(request.data, "get") else {}
        try:
            row = allowed_service.create_allowed(
                data.get("email"), data.get("course_id"), data.get("auto_enroll", False)
            )
        except allowed_service.AllowedMissingData as exc:
            return Response({"message": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        except allowed_service.AllowedExists as exc:
            return Response({"message": str(exc)}, status=status.HTTP_409_CONFLICT)
        return Response(allowed_service.allowed_dict(row), status=status.HTTP_201_CREATED)

    def delete(self, request: Request) -> Response:
        data = request.data if hasattr(request.data, "get") else {}
        try:
            allowed_service.delete_allowed(data.get("email"), data.get("course_id"))
        except allowed_service.AllowedMissingData as exc:
            return Response({"message": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        except allowed_service.AllowedNotFound as exc:
            return Response({"message": str(exc)}, status=status.HTTP_404_NOT_FOUND)
        return Response(status=status.HTTP_204_NO_CONTENT)


__all__ = [
    "CourseEnrollmentsApiListView",
    "EnrollmentAllowedView",
    "EnrollmentCourseDetailView",
    "EnrollmentListView",
    "EnrollmentView",
]
