"""Serializers of the workgroup, rule, provisioning and access endpoints.

Times are accepted in ISO 8601 and in the ``YYYY-MM-DD HH:MM:SS`` form integrators of other
platforms send (the seed's format); a time without a zone is UTC. Unknown fields are refused,
naming them, so a typo such as ``removalDate`` never silently does nothing.
"""
from __future__ import annotations

from datetime import UTC
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from commerce_plugin.data import AccessRuleType
from commerce_plugin.limits import BULK_MEMBERS_MAX, NAME_MAX_LENGTH

__all__ = [
    "BulkMembersSerializer",
    "MemberFilterSerializer",
    "MemberPutSerializer",
    "MemberSerializer",
    "PersonAccessSerializer",
    "ProvisionSerializer",
    "ProvisionedSerializer",
    "RuleInputSerializer",
    "RuleSerializer",
    "RulesBodySerializer",
    "WorkgroupCreateSerializer",
    "WorkgroupFilterSerializer",
    "WorkgroupSerializer",
    "WorkgroupUpdateSerializer",
]

DESCRIPTION_MAX_LENGTH = 5000


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know, naming them."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: [_("Unknown field; expected one of: %(fields)s.") % {
                    "fields": ", ".join(sorted(self.fields))}] for name in unknown})
        return super().to_internal_value(data)


class UtcDateTimeField(serializers.DateTimeField):
    """ISO 8601 or ``YYYY-MM-DD HH:MM[:SS]``; a naive time is UTC, whatever the server's zone."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(input_formats=["iso-8601", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"], **kwargs)

    def enforce_timezone(self, value: Any) -> Any:
        if timezone.is_naive(value):
            value = value.replace(tzinfo=UTC)
        return super().enforce_timezone(value)


class WorkgroupCreateSerializer(StrictSerializer):
    name = serializers.CharField(max_length=NAME_MAX_LENGTH)
    description = serializers.CharField(max_length=DESCRIPTION_MAX_LENGTH, required=False, allow_blank=True,
                                        default="")


class WorkgroupUpdateSerializer(StrictSerializer):
    name = serializers.CharField(max_length=NAME_MAX_LENGTH, required=False)
    description = serializers.CharField(max_length=DESCRIPTION_MAX_LENGTH, required=False, allow_blank=True)


class WorkgroupFilterSerializer(serializers.Serializer):
    name = serializers.CharField(required=False, max_length=NAME_MAX_LENGTH,
                                 help_text=gettext_lazy("Part of the name, case-insensitive."))


class WorkgroupSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()
    member_count = serializers.IntegerField()
    created = serializers.DateTimeField()
    modified = serializers.DateTimeField()


class MemberPutSerializer(StrictSerializer):
    removal_date = UtcDateTimeField(allow_null=True, help_text=gettext_lazy(
        "When the membership ends (UTC), or null for never. A time in the past ends it at once."))


class MemberRowSerializer(StrictSerializer):
    email = serializers.CharField(max_length=254)
    removal_date = UtcDateTimeField(allow_null=True, required=False, default=None)


class BulkMembersSerializer(StrictSerializer):
    members = MemberRowSerializer(many=True, allow_empty=False, max_length=BULK_MEMBERS_MAX, help_text=gettext_lazy(
        "Up to 1,000 rows; all are validated first and applied together, or none is."))


class MemberFilterSerializer(serializers.Serializer):
    email = serializers.CharField(required=False, max_length=254,
                                  help_text=gettext_lazy("Part of the email, case-insensitive."))
    active = serializers.BooleanField(required=False, allow_null=True, default=None, help_text=gettext_lazy(
        "true: members whose removal date has not passed; false: those whose has."))


class MemberSerializer(serializers.Serializer):
    workgroup = serializers.IntegerField(source="workgroup_id")
    email = serializers.EmailField()
    removal_date = serializers.DateTimeField(allow_null=True)
    added_at = serializers.DateTimeField()
    added_by = serializers.CharField()
    active = serializers.BooleanField()


class RuleInputSerializer(StrictSerializer):
    id = serializers.IntegerField(required=False, min_value=1, help_text=gettext_lazy(
        "An existing rule of this course run to update; leave out to create a rule."))
    name = serializers.CharField(max_length=NAME_MAX_LENGTH, help_text=gettext_lazy(
        "Unique per course run; machine-friendly names such as PAYMENT_INTEGRATION_COURSE_42 are easiest to find."))
    type = serializers.ChoiceField(choices=[t.value for t in AccessRuleType], default=AccessRuleType.PRIVATE.value)
    mode = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    starts_at = UtcDateTimeField()
    ends_at = UtcDateTimeField()
    workgroups = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, default=list,
                                       max_length=1000)
    people = serializers.ListField(child=serializers.CharField(max_length=254), required=False, default=list,
                                   max_length=BULK_MEMBERS_MAX)


class RulesBodySerializer(serializers.ListSerializer):
    """The whole list of a course run's rules (PUT replaces it)."""

    child = RuleInputSerializer()
    max_length = 200


class RuleSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    course_id = serializers.CharField()
    name = serializers.CharField()
    type = serializers.CharField()
    mode = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    workgroups = serializers.ListField(child=serializers.IntegerField())
    people = serializers.ListField(child=serializers.EmailField())


class ProvisionSerializer(StrictSerializer):
    first_name = serializers.CharField(max_length=NAME_MAX_LENGTH)
    last_name = serializers.CharField(max_length=NAME_MAX_LENGTH)
    email = serializers.CharField(max_length=254)


class ProvisionedSerializer(serializers.Serializer):
    email = serializers.EmailField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    account_exists = serializers.BooleanField(help_text=gettext_lazy("An LMS account has this email."))
    invited_at = serializers.DateTimeField(allow_null=True, help_text=gettext_lazy(
        "When the sign-up invitation was sent (it is sent after the response)."))


class AccessSourceSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text=gettext_lazy("order, rule or staff"))
    order_number = serializers.CharField(allow_null=True)
    rule_id = serializers.IntegerField(allow_null=True)
    rule_name = serializers.CharField(allow_null=True)
    workgroups = serializers.ListField(child=serializers.CharField())
    direct = serializers.BooleanField()
    note = serializers.CharField()


class AccessGrantSerializer(serializers.Serializer):
    mode = serializers.CharField()
    state = serializers.ChoiceField(choices=["active", "upcoming", "ended", "revoked"])
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)
    source = AccessSourceSerializer()


class CourseAccessSerializer(serializers.Serializer):
    course_id = serializers.CharField()
    active = serializers.BooleanField()
    mode = serializers.CharField(allow_null=True)
    sync_state = serializers.CharField(allow_null=True)
    lms_active = serializers.BooleanField(allow_null=True)
    lms_mode = serializers.CharField()
    last_error = serializers.CharField()
    grants = AccessGrantSerializer(many=True)


class PersonAccessSerializer(serializers.Serializer):
    email = serializers.EmailField()
    has_account = serializers.BooleanField()
    courses = CourseAccessSerializer(many=True)
