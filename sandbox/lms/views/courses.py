"""The LMS's course list API (``/api/courses/v1/courses/``), as integrators use it to find course ids.

The real view (``lms/djangoapps/course_api/views.py: CourseListView``) pages with
``NamespacedPageNumberPagination``: ``{"results": [...], "pagination": {"next", "previous",
"count", "num_pages"}}``, ``page`` and ``page_size`` (default 10, at most 100), and is open to
anonymous users for courses visible to everyone. Each course has ``id`` and ``course_id`` (the
same key), ``name``, ``org``, ``number``, dates and ``pacing``; the rest of the real fields
(media, blocks_url...) are left out here.
"""
from __future__ import annotations

from django.core.paginator import EmptyPage, Paginator
from django.http import HttpRequest, JsonResponse
from opaque_keys.edx.keys import CourseKey

from sandbox.lms.models import CourseOverview


def _iso(value):
    return value.isoformat().replace("+00:00", "Z") if value else None


def _course(course: CourseOverview) -> dict:
    key = CourseKey.from_string(course.course_id)
    return {"id": course.course_id, "course_id": course.course_id, "name": course.display_name,
            "org": key.org, "number": key.course, "start": _iso(course.start), "end": _iso(course.end),
            "enrollment_start": _iso(course.enrollment_start), "enrollment_end": _iso(course.enrollment_end),
            "pacing": "self" if course.self_paced else "instructor", "invitation_only": course.invitation_only}


def course_list(request: HttpRequest) -> JsonResponse:
    """``GET /api/courses/v1/courses/?page=&page_size=``."""
    try:
        page_size = min(max(int(request.GET.get("page_size", 10)), 1), 100)
        number = int(request.GET.get("page", 1))
    except ValueError:
        return JsonResponse({"developer_message": "page and page_size must be integers"}, status=400)
    paginator = Paginator(CourseOverview.objects.order_by("course_id"), page_size)
    try:
        page = paginator.page(number)
    except EmptyPage:
        return JsonResponse({"detail": "Invalid page."}, status=404)

    def link(target: int | None) -> str | None:
        if target is None:
            return None
        return request.build_absolute_uri(f"{request.path}?page={target}&page_size={page_size}")

    return JsonResponse({
        "results": [_course(course) for course in page.object_list],
        "pagination": {"next": link(page.next_page_number() if page.has_next() else None),
                       "previous": link(page.previous_page_number() if page.has_previous() else None),
                       "count": paginator.count, "num_pages": paginator.num_pages},
    })
