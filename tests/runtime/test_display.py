from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest

from brickyard.runtime.display import Display, render


class FakeSparkFrame:
    """Duck-typed like a pyspark DataFrame: limit() then toPandas()."""

    def __init__(self) -> None:
        self.limited_to: int | None = None

    def limit(self, n: int) -> FakeSparkFrame:
        self.limited_to = n
        return self

    def toPandas(self) -> pd.DataFrame:
        return pd.DataFrame({"x": [1, 2]})


def test_pandas_dataframe() -> None:
    bundle = render(pd.DataFrame({"a": [1, 2], "b": ["x", "y"]}))
    assert "a  b" in bundle["text/plain"]
    assert "<table" in bundle["text/html"]


def test_spark_like_dataframe_is_limited() -> None:
    frame = FakeSparkFrame()
    bundle = render(frame)
    assert frame.limited_to == 1000
    assert "x" in bundle["text/plain"] and "<table" in bundle["text/html"]


def test_rows_of_dicts_tuples_and_as_dict() -> None:
    class Row(tuple):  # type: ignore[type-arg]
        def asDict(self) -> dict[str, Any]:
            return {"k": self[0]}

    assert render([("a", 1), ("b",)])["text/plain"] == "_1 | _2\n---+-----\na  | 1\nb  | null"
    assert render([Row(("v",))])["text/plain"] == "k\n-\nv"
    html = render([{"a": "<x>"}])["text/html"]
    assert "<td>&lt;x&gt;</td>" in html


def test_other_objects_use_repr_and_repr_html() -> None:
    class Pretty:
        def __repr__(self) -> str:
            return "Pretty()"

        def _repr_html_(self) -> str:
            return "<p>pretty</p>"

    assert render(42) == {"text/plain": "42"}
    assert render([]) == {"text/plain": "[]"}
    assert render(Pretty()) == {"text/plain": "Pretty()", "text/html": "<p>pretty</p>"}


def test_display_with_a_sink_redacts_and_logs(context_factory: Callable[..., Any]) -> None:
    context = context_factory()
    context.redactor.register("hidden")
    bundles: list[dict[str, str]] = []
    logged: list[str] = []
    context.display_sink = bundles.append
    context.log_writer = logged.append
    display = Display(context)
    display.display("hidden value")
    display.displayHTML("<b>hidden</b>")
    assert bundles == [
        {"text/plain": "'[REDACTED] value'"},
        {"text/plain": "<b>[REDACTED]</b>", "text/html": "<b>[REDACTED]</b>"},
    ]
    assert logged == ["'hidden value'\n", "<b>hidden</b>\n"]


def test_display_without_a_sink_prints(
    context_factory: Callable[..., Any], capsys: pytest.CaptureFixture[str]
) -> None:
    Display(context_factory()).display({"a": 1})
    assert capsys.readouterr().out == "{'a': 1}\n"
