"""Workgroups, access rules and the people they name (docs/decisions/0019).

None of these rows enrolls anybody by itself: :mod:`commerce_plugin.access` turns them into
grants (``source=rule``, one per rule and person), and the sync engine makes the LMS follow
the grants, as it does for orders.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from opaque_keys.edx.django.models import CourseKeyField

from commerce_plugin.data import AccessRuleType
from commerce_plugin.limits import NAME_MAX_LENGTH

RULE_TYPE_CHOICES = [(kind.value, kind.value) for kind in AccessRuleType]


class AccessPerson(models.Model):
    """A person named by a workgroup, a rule or the provisioning API, by email (lower-cased).

    Linked to the LMS account when one exists; a person without an account gets an
    ``enrollment_allowed`` record from the sync engine and is enrolled at sign-up.

    .. pii: the email and name of a person given access by a workgroup, rule or provisioning
    .. pii_types: email_address, name
    .. pii_retirement: local_api
    """

    email = models.EmailField(unique=True)
    first_name = models.CharField(max_length=NAME_MAX_LENGTH, blank=True)
    last_name = models.CharField(max_length=NAME_MAX_LENGTH, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="commerce_access_people")
    invited_at = models.DateTimeField(null=True, blank=True, help_text="when the sign-up invitation was sent")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("email",)
        verbose_name_plural = "access people"

    def __str__(self) -> str:
        return self.email


class Workgroup(models.Model):
    """A named group of people; access rules attach it to course runs.

    .. no_pii:
    """

    name = models.CharField(max_length=NAME_MAX_LENGTH, unique=True)
    description = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("name",)
        permissions = [("manage_access", "Can manage workgroups, access rules and provisioning")]

    def __str__(self) -> str:
        return self.name


class WorkgroupMember(models.Model):
    """One person in one workgroup, until ``removal_date`` (UTC) if set.

    .. no_pii: the person is a foreign key; who added them is a username
    """

    workgroup = models.ForeignKey(Workgroup, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(AccessPerson, on_delete=models.CASCADE, related_name="memberships")
    removal_date = models.DateTimeField(null=True, blank=True, db_index=True)
    added_at = models.DateTimeField(default=timezone.now)
    added_by = models.CharField(max_length=NAME_MAX_LENGTH, blank=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=("workgroup", "person"), name="commerce_member_once")]
        ordering = ("workgroup", "person")

    def __str__(self) -> str:
        return f"{self.person_id} in {self.workgroup_id}"


class CourseRuleSet(models.Model):
    """The rules of one course run as a whole: its row is what a replace-all PUT locks.

    ``version`` grows by one with every change of the course's rules and is the API's ETag, so
    a client that read an older list cannot overwrite a newer one (412).

    .. no_pii:
    """

    course_key = CourseKeyField(max_length=255, unique=True)
    version = models.PositiveIntegerField(default=0)
    modified = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.course_key} v{self.version}"


class AccessRule(models.Model):
    """Who may take a course run, in which mode, from ``starts_at`` until ``ends_at``.

    ``private``: only the people of its workgroups and its individual people. ``public``: any
    signed-in learner may self-enroll while the window is open.

    .. no_pii:
    """

    course_key = CourseKeyField(max_length=255, db_index=True)
    name = models.CharField(max_length=NAME_MAX_LENGTH)
    type = models.CharField(max_length=10, choices=RULE_TYPE_CHOICES, default=AccessRuleType.PRIVATE.value)
    mode = models.CharField(max_length=100)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    workgroups = models.ManyToManyField(Workgroup, blank=True, related_name="rules")
    people = models.ManyToManyField(AccessPerson, blank=True, related_name="rules")
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("course_key", "name"), name="commerce_rule_name_per_course"),
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                   name="commerce_rule_ends_after_start"),
        ]
        ordering = ("course_key", "name")

    def __str__(self) -> str:
        return f"{self.course_key}: {self.name}"


class AccessChange(models.Model):
    """Audit trail of every workgroup, member and rule change, whoever made it (API, admin, job).

    .. no_pii: ``subject`` names a workgroup, rule or person by id
    """

    actor = models.CharField(max_length=NAME_MAX_LENGTH, blank=True)
    action = models.CharField(max_length=40)
    subject = models.CharField(max_length=255)
    detail = models.CharField(max_length=1000, blank=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ("-created", "-id")

    def __str__(self) -> str:
        return f"{self.action} {self.subject}"
