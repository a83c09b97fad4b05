"""Opaque page tokens and the slicing rules of the Jobs API's paged reads (jobs-api.md §3).

A token is the base64 of an offset; clients only echo it back. An empty ``page_token`` (Airflow
sends one on its first call) means the first page.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping, Sequence
from typing import Any, Final

from brickyard.errors import InvalidInputError

ARRAY_PAGE_SIZE: Final = 100
"""How many entries of each long array one 2.2 ``jobs/get``/``runs/get`` page carries."""

_PREFIX = "o:"
_MAX_OFFSET: Final = 2**63 - 1
"""An offset reaches SQL as a signed 64-bit integer; a larger one is no token of ours."""


def encode_page_token(offset: int) -> str:
    """The token of the page starting at ``offset``."""
    return base64.urlsafe_b64encode(f"{_PREFIX}{offset}".encode()).decode().rstrip("=")


def decode_page_token(token: str | None, *, field: str = "page_token") -> int:
    """The offset a token stands for (0 for none or an empty one)."""
    if not token:
        return 0
    try:
        padded = token + "=" * (-len(token) % 4)
        text = base64.urlsafe_b64decode(padded.encode()).decode()
        if text.startswith(_PREFIX):
            offset = int(text[len(_PREFIX) :])
            if 0 <= offset <= _MAX_OFFSET:
                return offset
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise InvalidInputError(f"Invalid {field}: {token!r} is not a token this server issued")


def page_arrays(
    body: Mapping[str, Any], fields: Sequence[str], page: int
) -> tuple[dict[str, Any], bool]:
    """``body`` with each array in ``fields`` cut to page ``page`` (100 entries per page), and
    whether any of them has entries beyond it."""
    start, end = page * ARRAY_PAGE_SIZE, (page + 1) * ARRAY_PAGE_SIZE
    paged = dict(body)
    more = False
    for field in fields:
        entries = body.get(field)
        if isinstance(entries, list):
            paged[field] = entries[start:end]
            more = more or len(entries) > end
    return paged, more


def truncate_arrays(body: Mapping[str, Any], fields: Sequence[str]) -> tuple[dict[str, Any], bool]:
    """``body`` with each array in ``fields`` cut to its first 100 entries, and whether any was
    cut (lists with ``expand_tasks`` in 2.2)."""
    return page_arrays(body, fields, 0)
