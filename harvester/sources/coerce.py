"""Reading untrusted JSON the same way in every source: an answer that is not JSON, or not the
shape asked for, is an ``InvalidResponse``; a value of the wrong type is unknown (``None``)."""

from __future__ import annotations

import json
import re
from typing import Any

from ..errors import InvalidResponse

_LONE = re.compile("[\ud800-\udfff]")


def loads(body: bytes, who: str) -> Any:
    """``body`` as JSON; ``who`` names the answer in the error ("crossref"). JSON may escape
    half of a UTF-16 pair on its own (``"\\ud800"``); such a lone surrogate is no character,
    and no text holding one can be written as UTF-8, so each becomes U+FFFD."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise InvalidResponse(f"{who} answered something that is not JSON") from None
    if b"\\ud" in body or b"\\uD" in body:
        data = _no_lone_surrogates(data)
    return data


def _no_lone_surrogates(value: Any) -> Any:
    if isinstance(value, str):
        return _LONE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_no_lone_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {_no_lone_surrogates(k): _no_lone_surrogates(v) for k, v in value.items()}
    return value


def json_object(body: bytes, who: str) -> dict[str, Any]:
    """``body`` as a JSON object (see :func:`loads`)."""
    data = loads(body, who)
    if not isinstance(data, dict):
        raise InvalidResponse(f"{who} answered JSON that is not an object")
    return data


def text(value: Any) -> str | None:
    """A non-empty string, stripped; anything else is unknown."""
    return value.strip() or None if isinstance(value, str) else None


def integer(value: Any) -> int | None:
    """An integer (not a boolean); anything else is unknown."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None
