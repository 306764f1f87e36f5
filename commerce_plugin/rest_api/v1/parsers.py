"""The JSON parser of REST API v1: DRF's, with bodies nested deeper than any of ours refused as a 400.

Python's ``json`` decoder recurses once per nesting level: 2 KB of ``[[[[...`` raised
``RecursionError`` on Python 3.11, which DRF's ``JSONParser`` does not catch (a 500 for any
signed-in user), while Python 3.12 parses it and the serializer answers something else. No body
of ours is nested more than a few levels, so the depth is checked before decoding, the same way
on every Python: deeper than :data:`MAX_DEPTH` is the client's mistake.
"""
from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

__all__ = ["MAX_DEPTH", "CommerceJSONParser", "nesting_depth"]

#: Deepest nesting of objects and arrays a request body may have.
MAX_DEPTH = 32


def nesting_depth(body: bytes) -> int:
    """The deepest ``{``/``[`` nesting of a JSON text, brackets inside strings ignored (one pass)."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in body:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # closing quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x5D, 0x7D):  # ] }
            depth -= 1
    return deepest


class CommerceJSONParser(JSONParser):
    """``JSONParser`` that answers 400 ``parse_error`` for JSON nested deeper than :data:`MAX_DEPTH`."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: dict | None = None) -> Any:
        body = stream.read() if stream is not None else b""
        if nesting_depth(body) > MAX_DEPTH:
            raise ParseError(_("JSON parse error - the body is nested too deeply (more than %(max)d levels); "
                               "send a flat JSON object.") % {"max": MAX_DEPTH})
        try:
            return super().parse(io.BytesIO(body), media_type, parser_context)
        except RecursionError as exc:  # defence in depth: never a 500
            raise ParseError(_("JSON parse error - the body is nested too deeply; send a flat JSON object.")) from exc
