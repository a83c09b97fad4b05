"""Cached runs/get bodies are served only for the exact run version they were rendered from."""

from __future__ import annotations

from brickyard.api.run_cache import RunBodyCache


def test_a_body_is_returned_only_for_its_version() -> None:
    cache = RunBodyCache()
    cache.put("k", ("TERMINATED", "FAILED", 10, 0, None), b"old")
    assert cache.get("k", ("TERMINATED", "FAILED", 10, 0, None)) == b"old"
    assert cache.get("k", ("TERMINATED", "SUCCESS", 20, 1, 7)) is None, "repaired since"
    assert cache.get("other", ("TERMINATED", "FAILED", 10, 0, None)) is None


def test_the_least_recently_used_bodies_go_first() -> None:
    cache = RunBodyCache(capacity=2)
    version = ("TERMINATED", "SUCCESS", 1, 0, None)
    cache.put("a", version, b"a")
    cache.put("b", version, b"b")
    assert cache.get("a", version) == b"a"
    cache.put("c", version, b"c")
    assert len(cache) == 2
    assert cache.get("b", version) is None
    assert cache.get("a", version) == b"a" and cache.get("c", version) == b"c"
