"""Django admin for the miniature LMS, so the demo's staff user can inspect and edit LMS data."""
from __future__ import annotations

from django.contrib import admin

from sandbox.lms import models


@admin.register(models.CourseOverview)
class CourseOverviewAdmin(admin.ModelAdmin):
    list_display = ("course_id", "display_name", "start", "enrollment_start", "enrollment_end", "invitation_only")
    search_fields = ("course_id", "display_name")


@admin.register(models.CourseMode)
class CourseModeAdmin(admin.ModelAdmin):
    list_display = ("course", "mode_slug", "min_price", "currency", "expiration_datetime", "sku")
    list_filter = ("mode_slug",)


@admin.register(models.CourseEnrollment)
class CourseEnrollmentAdmin(admin.ModelAdmin):
    list_display = ("user", "course", "mode", "is_active", "created")
    list_filter = ("mode", "is_active")
    search_fields = ("user__username", "course__course_id")


@admin.register(models.CourseEnrollmentAllowed)
class CourseEnrollmentAllowedAdmin(admin.ModelAdmin):
    list_display = ("email", "course_id", "auto_enroll", "user", "created")
    search_fields = ("email", "course_id")


@admin.register(models.GeneratedCertificate)
class GeneratedCertificateAdmin(admin.ModelAdmin):
    list_display = ("user", "course_id", "mode", "status", "grade", "created")
    list_filter = ("status", "mode")
    search_fields = ("user__username", "course_id")
    readonly_fields = ("created", "modified")


@admin.register(models.OAuthApplication)
class OAuthApplicationAdmin(admin.ModelAdmin):
    list_display = ("name", "client_id", "user", "scopes", "created")


@admin.register(models.IssuedToken)
class IssuedTokenAdmin(admin.ModelAdmin):
    list_display = ("application", "issued_at", "expires_at")


@admin.register(models.ApiCall)
class ApiCallAdmin(admin.ModelAdmin):
    list_display = ("created", "method", "path", "status", "username")
    list_filter = ("method", "status")


@admin.register(models.Fault)
class FaultAdmin(admin.ModelAdmin):
    list_display = ("kind", "remaining", "path_prefix", "stall_seconds", "created")
