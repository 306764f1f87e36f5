"""The public Python API of the plugin: the one door for views, tasks, commands and other apps.

This module only re-exports; the work happens in the private subpackages. Functions return
:mod:`commerce_plugin.data` objects and raise :mod:`commerce_plugin.errors` classes.
"""
from __future__ import annotations

from commerce_plugin.diagnostics import check_lms_connection, get_plugin_status, lms_course_enrollments

__all__ = [
    "check_lms_connection",
    "get_plugin_status",
    "lms_course_enrollments",
]
