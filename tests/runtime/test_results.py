from __future__ import annotations

from brickyard.runtime.results import EXIT_VALUE_LIMIT_BYTES, truncate_exit_value


def test_truncate_exit_value_counts_utf8_bytes() -> None:
    assert truncate_exit_value("short") == ("short", False)
    exact = "a" * EXIT_VALUE_LIMIT_BYTES
    assert truncate_exit_value(exact) == (exact, False)
    value, truncated = truncate_exit_value("a" + "€" * EXIT_VALUE_LIMIT_BYTES)
    assert truncated
    assert len(value.encode()) <= EXIT_VALUE_LIMIT_BYTES
    assert value.startswith("a€") and set(value[1:]) == {"€"}
