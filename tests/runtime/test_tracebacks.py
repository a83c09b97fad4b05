from __future__ import annotations

from brickyard.runtime.exceptions import InputWidgetNotDefined
from brickyard.runtime.tracebacks import error_summary, error_trace


def test_summary_names_the_exception() -> None:
    assert error_summary(ValueError("boom")) == "ValueError: boom"
    assert error_summary(KeyError("k")) == "KeyError: 'k'"
    assert error_summary(RuntimeError()) == "RuntimeError"
    assert error_summary(InputWidgetNotDefined("x")) == "InputWidgetNotDefined: x"
    try:
        compile("x = (", "<cell>", "exec")
    except SyntaxError as exc:
        assert error_summary(exc).startswith("SyntaxError: ")


def test_trace_keeps_chained_causes() -> None:
    try:
        try:
            raise KeyError("inner")
        except KeyError as inner:
            raise ValueError("outer") from inner
    except ValueError as exc:
        trace = error_trace(exc)
    assert "KeyError: 'inner'" in trace
    assert "direct cause" in trace
    assert trace.endswith("ValueError: outer")
