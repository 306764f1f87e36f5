"""Workgroups, members, access rules, provisioning and "who has access and why" (issue 8, ADR 0019).

Staff, or a user holding the ``commerce_plugin.manage_access`` permission (what an integrator's
service account gets), may call these. The flow of an external payment system:
provision the person, add them to the workgroup a rule attaches to the course run, and the
plugin enrolls them; remove them (or let the removal date pass) and the enrollment ends.

Lists carry the Open edX envelope and an RFC 8288 ``Link`` header (``rel="next"``/``"prev"``).
The rules of a course run are replaced as a whole (``PUT``) with optimistic concurrency: the
``ETag`` of a ``GET`` sent back as ``If-Match`` makes a stale write fail with 412.
"""
from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from commerce_plugin import api
from commerce_plugin.data import RuleSetData
from commerce_plugin.rest_api.v1.access_serializers import (
    BulkMembersSerializer,
    MemberFilterSerializer,
    MemberPutSerializer,
    MemberSerializer,
    PersonAccessSerializer,
    ProvisionedSerializer,
    ProvisionSerializer,
    RuleInputSerializer,
    RulesBodySerializer,
    RuleSerializer,
    WorkgroupCreateSerializer,
    WorkgroupFilterSerializer,
    WorkgroupSerializer,
    WorkgroupUpdateSerializer,
)
from commerce_plugin.rest_api.v1.base import CommerceAPIView
from commerce_plugin.rest_api.v1.openapi import document
from commerce_plugin.rest_api.v1.pagination import CommercePagination
from commerce_plugin.rest_api.v1.serializers import ErrorSerializer

__all__ = [
    "CanManageAccess",
    "CourseRulesView",
    "MemberBulkView",
    "MemberDetailView",
    "MemberListView",
    "PersonAccessView",
    "ProvisionView",
    "WorkgroupDetailView",
    "WorkgroupListView",
]

TAGS = ["access"]
PERMISSION = "commerce_plugin.manage_access"
WORKGROUP_ID = OpenApiParameter("workgroup_id", OpenApiTypes.INT, OpenApiParameter.PATH)
EMAIL = OpenApiParameter("email", OpenApiTypes.EMAIL, OpenApiParameter.PATH)
COURSE_ID = OpenApiParameter("course_id", OpenApiTypes.STR, OpenApiParameter.PATH, pattern=r"^course-v1:.+\+.+\+.+$",
                             description="Course run key, e.g. course-v1:Org+Course+Run.")
IF_MATCH = OpenApiParameter("If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False, description=(
    "The ETag of the GET you edited; a stale one gets 412 and nothing is written."))
DENIED = {401: OpenApiResponse(ErrorSerializer, description="No valid JWT or session."),
          403: OpenApiResponse(ErrorSerializer, description="Not staff and no manage_access permission.")}
INVALID = OpenApiResponse(ErrorSerializer, description="Invalid input: `errors` names each field.")
NO_WORKGROUP = OpenApiResponse(ErrorSerializer, description="Unknown workgroup.")


class CanManageAccess(BasePermission):
    """Global staff, or the ``commerce_plugin.manage_access`` permission (integrators' accounts)."""

    message = gettext_lazy("Only staff or accounts allowed to manage access may do this.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and (user.is_staff or user.has_perm(PERMISSION)))


class LinkPagination(CommercePagination):
    """The Open edX envelope plus an RFC 8288 ``Link`` header with the next and previous pages."""

    def get_paginated_response(self, data: Any) -> Response:
        response = super().get_paginated_response(data)
        links = [f'<{url}>; rel="{rel}"' for rel, url in (("next", self.get_next_link()),
                                                          ("prev", self.get_previous_link())) if url]
        if links:
            response["Link"] = ", ".join(links)
        return response


class AccessView(CommerceAPIView):
    """Base of the access endpoints."""

    permission_classes = (CanManageAccess,)
    pagination_class = LinkPagination

    @staticmethod
    def actor(request: Request) -> str:
        return f"api:{request.user.get_username()}"

    @staticmethod
    def valid(serializer_class: Any, data: Any, **kwargs: Any) -> Any:
        serializer = serializer_class(data=data, **kwargs)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class WorkgroupListView(AccessView):
    """``GET/POST workgroups/``."""

    @document(tags=TAGS, summary="List workgroups", parameters=[WorkgroupFilterSerializer],
              responses={200: WorkgroupSerializer(many=True), 400: INVALID, **DENIED})
    def get(self, request: Request) -> Response:
        filters = self.valid(WorkgroupFilterSerializer, request.query_params)
        return self.paginated(request, api.list_workgroups(name=filters.get("name")), lambda page: WorkgroupSerializer(
            [api.workgroup_to_data(workgroup) for workgroup in page], many=True).data)

    @document(tags=TAGS, summary="Create a workgroup", request=WorkgroupCreateSerializer,
              responses={201: WorkgroupSerializer, 400: INVALID, **DENIED})
    def post(self, request: Request) -> Response:
        body = self.valid(WorkgroupCreateSerializer, request.data)
        workgroup = api.create_workgroup(name=body["name"], description=body["description"],
                                         actor=self.actor(request))
        return Response(WorkgroupSerializer(workgroup).data, status=201)


class WorkgroupDetailView(AccessView):
    """``GET/PATCH/DELETE workgroups/<id>/``."""

    @document(tags=TAGS, summary="Get a workgroup", parameters=[WORKGROUP_ID],
              responses={200: WorkgroupSerializer, 404: NO_WORKGROUP, **DENIED})
    def get(self, request: Request, workgroup_id: str) -> Response:
        return Response(WorkgroupSerializer(api.get_workgroup(workgroup_id)).data)

    @document(tags=TAGS, summary="Rename or describe a workgroup", parameters=[WORKGROUP_ID],
              request=WorkgroupUpdateSerializer,
              responses={200: WorkgroupSerializer, 400: INVALID, 404: NO_WORKGROUP, **DENIED})
    def patch(self, request: Request, workgroup_id: str) -> Response:
        body = self.valid(WorkgroupUpdateSerializer, request.data)
        workgroup = api.update_workgroup(workgroup_id, actor=self.actor(request), **body)
        return Response(WorkgroupSerializer(workgroup).data)

    @document(tags=TAGS, summary="Delete a workgroup (the access it gave ends)", parameters=[WORKGROUP_ID],
              responses={204: None, 404: NO_WORKGROUP, **DENIED})
    def delete(self, request: Request, workgroup_id: str) -> Response:
        api.delete_workgroup(workgroup_id, actor=self.actor(request))
        return Response(status=204)


class MemberListView(AccessView):
    """``GET workgroups/<id>/members/``."""

    @document(tags=TAGS, summary="List a workgroup's members", parameters=[WORKGROUP_ID, MemberFilterSerializer],
              responses={200: MemberSerializer(many=True), 400: INVALID, 404: NO_WORKGROUP, **DENIED})
    def get(self, request: Request, workgroup_id: str) -> Response:
        filters = self.valid(MemberFilterSerializer, request.query_params)
        members = api.list_members(workgroup_id, email=filters.get("email"), active=filters.get("active"))
        return self.paginated(request, members, lambda page: MemberSerializer(
            [api.member_to_data(member) for member in page], many=True).data)


class MemberDetailView(AccessView):
    """``PUT/DELETE workgroups/<id>/members/<email>/``."""

    @document(tags=TAGS, summary="Add a member or change their removal date", parameters=[WORKGROUP_ID, EMAIL],
              request=MemberPutSerializer,
              responses={200: MemberSerializer, 201: MemberSerializer, 400: INVALID, 404: NO_WORKGROUP, **DENIED})
    def put(self, request: Request, workgroup_id: str, email: str) -> Response:
        body = self.valid(MemberPutSerializer, request.data)
        member, created = api.put_member(workgroup_id, email, removal_date=body["removal_date"],
                                         actor=self.actor(request))
        return Response(MemberSerializer(member).data, status=201 if created else 200)

    @document(tags=TAGS, summary="Remove a member (the access it gave ends)", parameters=[WORKGROUP_ID, EMAIL],
              responses={204: None, 404: OpenApiResponse(ErrorSerializer, description="Unknown workgroup or member."),
                         **DENIED})
    def delete(self, request: Request, workgroup_id: str, email: str) -> Response:
        api.remove_member(workgroup_id, email, actor=self.actor(request))
        return Response(status=204)


class MemberBulkView(AccessView):
    """``POST workgroups/<id>/members/bulk/``: up to 1,000 rows, all or nothing."""

    @document(tags=TAGS, summary="Add or update many members at once", parameters=[WORKGROUP_ID],
              request=BulkMembersSerializer,
              responses={200: OpenApiTypes.OBJECT, 400: INVALID, 404: NO_WORKGROUP, **DENIED})
    def post(self, request: Request, workgroup_id: str) -> Response:
        body = self.valid(BulkMembersSerializer, request.data)
        return Response(api.bulk_put_members(workgroup_id, body["members"], actor=self.actor(request)))


def _course_key(course_id: str) -> CourseKey:
    try:
        return CourseKey.from_string(course_id)
    except InvalidKeyError:
        raise NotFound(_("%(value)s is not a course run key; expected course-v1:Org+Course+Run.") % {
            "value": course_id}) from None


def _etag(ruleset: RuleSetData) -> str:
    return f'"{ruleset.version}"'


def _rules_response(ruleset: RuleSetData) -> Response:
    response = Response(RuleSerializer(
        [{**rule.__dict__, "type": rule.type.value, "workgroups": list(rule.workgroups),
          "people": list(rule.people)} for rule in ruleset.rules], many=True).data)
    response["ETag"] = _etag(ruleset)
    return response


class CourseRulesView(AccessView):
    """``GET/PUT course-runs/<course_id>/rules/``: the whole list, replaced as a whole."""

    @document(tags=TAGS, summary="List a course run's access rules", parameters=[COURSE_ID],
              responses={200: RuleSerializer(many=True), 404: OpenApiResponse(ErrorSerializer, description=(
                  "Not a course run key.")), **DENIED})
    def get(self, request: Request, course_id: str) -> Response:
        return _rules_response(api.rules_of(_course_key(course_id)))

    @document(tags=TAGS, summary="Replace a course run's access rules", parameters=[COURSE_ID, IF_MATCH],
              request=RuleInputSerializer(many=True),
              responses={200: RuleSerializer(many=True), 400: INVALID,
                         412: OpenApiResponse(ErrorSerializer, description="The rules changed since your GET."),
                         **DENIED})
    def put(self, request: Request, course_id: str) -> Response:
        course_key = _course_key(course_id)
        if not isinstance(request.data, list):
            raise ValidationError({"rules": [_("Send the whole list of rules (a JSON array), as GET returns it.")]})
        entries = RulesBodySerializer(data=request.data)
        entries.is_valid(raise_exception=True)
        if_match = request.headers.get("If-Match")
        version = None
        if if_match is not None and if_match.strip() != "*":
            try:
                version = int(if_match.strip().removeprefix("W/").strip('"'))
            except ValueError:
                raise ValidationError({"If-Match": [_("Send the ETag of your GET, e.g. \"3\".")]}) from None
        ruleset = api.replace_rules(course_key, list(entries.validated_data), if_match=version,
                                    actor=self.actor(request))
        return _rules_response(ruleset)


class ProvisionView(AccessView):
    """``POST people/provision/``: 200 for an existing LMS account, 201 for a new person."""

    @document(tags=TAGS, summary="Provision a person", request=ProvisionSerializer,
              responses={200: ProvisionedSerializer, 201: ProvisionedSerializer, 400: INVALID, **DENIED})
    def post(self, request: Request) -> Response:
        body = self.valid(ProvisionSerializer, request.data)
        person = api.provision_person(actor=self.actor(request), **body)
        return Response(ProvisionedSerializer(person).data, status=201 if person.created else 200)


class PersonAccessView(AccessView):
    """``GET people/<email>/access/``: every course run the person has or will have, and why."""

    @document(tags=TAGS, summary="Who has access to what, and why", parameters=[EMAIL],
              responses={200: PersonAccessSerializer, 400: INVALID, **DENIED})
    def get(self, request: Request, email: str) -> Response:
        return Response(PersonAccessSerializer(api.person_access(email)).data)
