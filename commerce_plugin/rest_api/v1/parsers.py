"""The JSON parser of REST API v1: DRF's, with nesting that would exhaust the stack refused as a 400.

Python's ``json`` decoder recurses once per nesting level, so 2 KB of ``[[[[...`` raises
``RecursionError``, which DRF's ``JSONParser`` does not catch (a 500 for any signed-in user).
No body of ours is nested more than a few levels, so a body that deep is the client's mistake.
"""
from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

__all__ = ["CommerceJSONParser"]


class CommerceJSONParser(JSONParser):
    """``JSONParser`` that answers 400 ``parse_error`` for JSON nested too deeply to read."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: dict | None = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(_("JSON parse error - the body is nested too deeply; send a flat JSON object.")) from exc
