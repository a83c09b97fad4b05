"""Page tokens round-trip, reject what the server did not issue, and arrays page at 100."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from brickyard.errors import InvalidInputError
from brickyard.views.paging import decode_page_token, encode_page_token, page_arrays


@given(st.integers(min_value=0, max_value=10**12))
def test_tokens_round_trip(offset: int) -> None:
    assert decode_page_token(encode_page_token(offset)) == offset


def test_no_token_or_an_empty_one_is_the_first_page() -> None:
    assert decode_page_token(None) == 0
    assert decode_page_token("") == 0


@pytest.mark.parametrize("token", ["garbage!", "bzotMQ", "12"])
def test_foreign_tokens_are_rejected_naming_the_field(token: str) -> None:
    with pytest.raises(InvalidInputError, match="Invalid page_token"):
        decode_page_token(token)


def test_every_entry_is_on_exactly_one_page_and_the_last_page_says_so() -> None:
    body = {"tasks": list(range(250)), "job_clusters": list(range(30)), "name": "x"}
    seen_tasks: list[int] = []
    seen_clusters: list[int] = []
    page, more = 0, True
    while more:
        paged, more = page_arrays(body, ("tasks", "job_clusters"), page)
        assert paged["name"] == "x"
        seen_tasks += paged["tasks"]
        seen_clusters += paged["job_clusters"]
        page += 1
    assert page == 3
    assert seen_tasks == list(range(250))
    assert seen_clusters == list(range(30))
