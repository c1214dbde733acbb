"""Reading untrusted JSON the same way in every source: an answer that is not JSON, or not the
shape asked for, is an ``InvalidResponse``; a value of the wrong type is unknown (``None``)."""

from __future__ import annotations

import json
from typing import Any

from ..errors import InvalidResponse


def json_object(body: bytes, who: str) -> dict[str, Any]:
    """``body`` as a JSON object; ``who`` names the answer in the error ("crossref")."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise InvalidResponse(f"{who} answered something that is not JSON") from None
    if not isinstance(data, dict):
        raise InvalidResponse(f"{who} answered JSON that is not an object")
    return data


def text(value: Any) -> str | None:
    """A non-empty string, stripped; anything else is unknown."""
    return value.strip() or None if isinstance(value, str) else None


def integer(value: Any) -> int | None:
    """An integer (not a boolean); anything else is unknown."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None
