"""Admin of workgroups, members, access rules and people ("who has access and why").

Reads models directly; every change goes through :mod:`commerce_plugin.api`, so the admin gets
the API's validation, grant work, sync scheduling and audit rows (``actor`` is ``admin:<user>``).
Members are a paginated, searchable changelist of their own, never an inline: a workgroup may
hold 10,000 people. Members are added by pasting or uploading ``email,removal_date`` lines.
"""
from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from commerce_plugin import api
from commerce_plugin.admin.readonly import HistoryAdmin
from commerce_plugin.models import AccessChange, AccessPerson, AccessRule, Workgroup, WorkgroupMember

__all__ = ["AccessPersonAdmin", "AccessRuleAdmin", "WorkgroupAdmin", "WorkgroupMemberAdmin", "person_link"]


def _actor(request: HttpRequest) -> str:
    return f"admin:{request.user.get_username()}"


def person_link(email: str) -> str:
    """A link to the person page of ``email`` (used by the order, grant and member admins)."""
    url = reverse("admin:commerce_plugin_accessperson_access", args=[email])
    return format_html('<a href="{}">{}</a>', url, email)


class MembersUploadForm(forms.Form):
    rows = forms.CharField(widget=forms.Textarea(attrs={"rows": 10, "cols": 60}), required=False,
                           help_text=_("One person per line: email,removal_date (UTC, optional)."))
    file = forms.FileField(required=False, help_text=_("Or a CSV file with the same two columns."))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        text = data.get("rows") or ""
        upload = data.get("file")
        if upload:
            text += "\n" + upload.read().decode("utf-8-sig", errors="replace")
        rows = []
        for number, line in enumerate(csv.reader(io.StringIO(text)), start=1):
            if not line or not line[0].strip() or line[0].strip().lower() == "email":
                continue
            removal = line[1].strip() if len(line) > 1 else ""
            moment = None
            if removal:
                moment = parse_datetime(removal.replace(" ", "T"))
                if moment is None:
                    raise ValidationError(_("Line %(n)d: %(value)s is not a date and time.") % {
                        "n": number, "value": removal})
                if moment.tzinfo is None:
                    moment = moment.replace(tzinfo=UTC)
            rows.append({"email": line[0].strip(), "removal_date": moment})
        if not rows:
            raise ValidationError(_("Paste or upload at least one line."))
        data["members"] = rows
        return data


@admin.register(Workgroup)
class WorkgroupAdmin(admin.ModelAdmin):
    list_display = ("name", "member_count", "rules_link", "add_members_link", "modified")
    search_fields = ("name",)
    fields = ("name", "description")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Workgroup]:
        return super().get_queryset(request).annotate(member_count=Count("members"))

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, workgroup: Workgroup) -> str:
        url = reverse("admin:commerce_plugin_workgroupmember_changelist") + f"?workgroup__id__exact={workgroup.pk}"
        return format_html('<a href="{}">{}</a>', url, workgroup.member_count)  # type: ignore[attr-defined]

    @admin.display(description=_("rules"))
    def rules_link(self, workgroup: Workgroup) -> str:
        url = reverse("admin:commerce_plugin_accessrule_changelist") + f"?workgroups__id__exact={workgroup.pk}"
        return format_html('<a href="{}">{}</a>', url, _("rules"))

    def get_urls(self) -> list:
        return [path("<int:workgroup_id>/add-members/", self.admin_site.admin_view(self.add_members_view),
                     name="commerce_plugin_workgroup_add_members"), *super().get_urls()]

    def add_members_view(self, request: HttpRequest, workgroup_id: int) -> HttpResponse:
        workgroup = get_object_or_404(Workgroup, pk=workgroup_id)
        if not self.has_change_permission(request, workgroup):
            return HttpResponseRedirect(reverse("admin:index"))
        form = MembersUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                counts = api.bulk_put_members(workgroup.pk, form.cleaned_data["members"], actor=_actor(request))
            except api.AccessInputInvalid as exc:
                for field, problems in exc.errors.items():
                    form.add_error(None, f"{field}: {' '.join(problems)}")
            else:
                self.message_user(request, _("Members: %(created)d added, %(updated)d updated, %(unchanged)d "
                                             "unchanged.") % counts, messages.SUCCESS)
                members = reverse("admin:commerce_plugin_workgroupmember_changelist")
                return HttpResponseRedirect(f"{members}?workgroup__id__exact={workgroup.pk}")
        context = {**self.admin_site.each_context(request), "title": _("Add members to %(name)s") % {
            "name": workgroup.name}, "form": form, "workgroup": workgroup, "opts": self.model._meta}
        return TemplateResponse(request, "commerce_plugin/admin/add_members.html", context)

    def save_model(self, request: HttpRequest, obj: Workgroup, form: Any, change: bool) -> None:
        if change:
            api.update_workgroup(obj.pk, name=obj.name, description=obj.description, actor=_actor(request))
        else:
            created = api.create_workgroup(name=obj.name, description=obj.description, actor=_actor(request))
            obj.pk = created.id

    def delete_model(self, request: HttpRequest, obj: Workgroup) -> None:
        api.delete_workgroup(obj.pk, actor=_actor(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Workgroup]) -> None:
        for workgroup in queryset:
            api.delete_workgroup(workgroup.pk, actor=_actor(request))

    @admin.display(description=_("add members"))
    def add_members_link(self, workgroup: Workgroup) -> str:
        url = reverse("admin:commerce_plugin_workgroup_add_members", args=[workgroup.pk])
        return format_html('<a href="{}">{}</a>', url, _("paste or upload CSV"))


@admin.register(WorkgroupMember)
class WorkgroupMemberAdmin(admin.ModelAdmin):
    list_display = ("person_email", "workgroup", "removal_date", "added_at", "added_by")
    list_filter = ("workgroup",)
    search_fields = ("person__email",)
    list_select_related = ("person", "workgroup")
    list_per_page = 100
    readonly_fields = ("workgroup", "person", "added_at", "added_by")
    fields = ("workgroup", "person", "removal_date", "added_at", "added_by")
    actions = ("remove_members",)

    @admin.display(description=_("email"), ordering="person__email")
    def person_email(self, member: WorkgroupMember) -> str:
        return person_link(member.person.email)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # add through the workgroup's "add members" page (paste or CSV)

    def save_model(self, request: HttpRequest, obj: WorkgroupMember, form: Any, change: bool) -> None:
        api.put_member(obj.workgroup_id, obj.person.email, removal_date=obj.removal_date, actor=_actor(request))

    def delete_model(self, request: HttpRequest, obj: WorkgroupMember) -> None:
        api.remove_member(obj.workgroup_id, obj.person.email, actor=_actor(request))

    def get_actions(self, request: HttpRequest) -> dict:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description=_("Remove the selected members (their access through this workgroup ends)"),
                  permissions=["delete"])
    def remove_members(self, request: HttpRequest, queryset: QuerySet[WorkgroupMember]) -> None:
        count = 0
        for member in queryset.select_related("person"):
            api.remove_member(member.workgroup_id, member.person.email, actor=_actor(request))
            count += 1
        self.message_user(request, _("%(count)d member(s) removed.") % {"count": count}, messages.SUCCESS)


class _DryRun(Exception):
    """Rolls back the form's trial save."""


def _rule_entry(data: dict[str, Any], rule_id: int | None) -> dict[str, Any]:
    entry = {"name": data["name"], "type": data["type"], "mode": data.get("mode") or "",
             "starts_at": data["starts_at"], "ends_at": data["ends_at"],
             "workgroups": [w.pk for w in data.get("workgroups") or []],
             "people": [p.email for p in data.get("people") or []]}
    if rule_id:
        entry["id"] = rule_id
    return entry


class AccessRuleForm(forms.ModelForm):
    """Checked by a trial save through the API (rolled back), so the admin refuses what the API refuses."""

    class Meta:
        model = AccessRule
        fields = ("course_key", "name", "type", "mode", "starts_at", "ends_at", "workgroups", "people")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors or not all(data.get(key) for key in ("name", "starts_at", "ends_at")):
            return data
        course_key = self.instance.course_key if self.instance.pk else data.get("course_key")
        if not course_key:
            return data
        try:
            with transaction.atomic():
                api.save_rule(course_key, _rule_entry(data, self.instance.pk), actor="admin:validation")
                raise _DryRun
        except _DryRun:
            pass
        except api.AccessInputInvalid as exc:
            raise ValidationError([f"{field.split('.')[-1]}: {' '.join(problems)}"
                                   for field, problems in exc.errors.items()]) from None
        return data


@admin.register(AccessRule)
class AccessRuleAdmin(admin.ModelAdmin):
    """One rule at a time, validated with its course's other rules exactly as the API does."""

    form = AccessRuleForm
    list_display = ("name", "course_key", "type", "mode", "starts_at", "ends_at")
    list_filter = ("type", "workgroups")
    search_fields = ("name", "course_key")
    filter_horizontal = ("workgroups",)
    autocomplete_fields = ("people",)

    def get_readonly_fields(self, request: HttpRequest, obj: AccessRule | None = None) -> tuple[str, ...]:
        return ("course_key",) if obj else ()

    def save_model(self, request: HttpRequest, obj: AccessRule, form: Any, change: bool) -> None:
        data = form.cleaned_data
        ruleset = api.save_rule(obj.course_key, _rule_entry(data, obj.pk if change else None), actor=_actor(request))
        obj.pk = next(rule.id for rule in ruleset.rules if rule.name == data["name"])

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """The associations were saved by :func:`commerce_plugin.api.save_rule` with the rule."""

    def delete_model(self, request: HttpRequest, obj: AccessRule) -> None:
        api.delete_rule(obj.pk, actor=_actor(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[AccessRule]) -> None:
        for rule in queryset:
            api.delete_rule(rule.pk, actor=_actor(request))


@admin.register(AccessPerson)
class AccessPersonAdmin(admin.ModelAdmin):
    """People named by workgroups and rules; each row leads to "who has access and why"."""

    list_display = ("email", "first_name", "last_name", "user", "invited_at", "access_link")
    search_fields = ("email", "first_name", "last_name")
    readonly_fields = ("email", "user", "invited_at", "created")
    fields = ("email", "first_name", "last_name", "user", "invited_at", "created")

    @admin.display(description=_("access"))
    def access_link(self, person: AccessPerson) -> str:
        return person_link(person.email)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # people are recorded by provisioning and memberships

    def get_urls(self) -> list:
        return [path("access/<str:email>/", self.admin_site.admin_view(self.access_view),
                     name="commerce_plugin_accessperson_access"), *super().get_urls()]

    def access_view(self, request: HttpRequest, email: str) -> HttpResponse:
        """Every course run the person has, had or will have, each grant's source, the sync state."""
        if not self.has_view_permission(request):
            return HttpResponseRedirect(reverse("admin:index"))
        try:
            access = api.person_access(email)
        except api.AccessInputInvalid:
            access = None
        context = {**self.admin_site.each_context(request), "title": _("Access of %(email)s") % {"email": email},
                   "access": access, "email": email, "opts": self.model._meta,
                   "now": datetime.now(UTC)}
        return TemplateResponse(request, "commerce_plugin/admin/person_access.html", context)


@admin.register(AccessChange)
class AccessChangeAdmin(HistoryAdmin):
    list_display = ("created", "actor", "action", "subject", "detail")
    list_filter = ("action",)
    search_fields = ("actor", "subject")
