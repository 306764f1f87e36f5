"""Errors of workgroups, rules and provisioning (the caller's fault)."""
from __future__ import annotations

from commerce_plugin.errors import CommerceRequestError

__all__ = ["AccessInputInvalid", "AccessNotFound", "RulesChanged"]


class AccessNotFound(CommerceRequestError):
    """No such workgroup, member or person. ``what`` names it for the message."""

    def __init__(self, message: str, what: str) -> None:
        super().__init__(message)
        self.what = what


class AccessInputInvalid(CommerceRequestError):
    """A rule list, member row or person failed validation; ``errors`` maps fields to messages.

    Rule lists and bulk rows are validated as a whole before anything is written, so the caller
    gets every problem at once (keys such as ``"2.ends_at"`` name the entry and the field).
    """

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{field}: {' '.join(messages)}" for field, messages in errors.items()))
        self.errors = errors


class RulesChanged(CommerceRequestError):
    """The course's rules changed since the caller read them (a stale ``If-Match``): 412."""

    def __init__(self, current_version: int) -> None:
        super().__init__(f"the rules changed; current version {current_version}")
        self.current_version = current_version
