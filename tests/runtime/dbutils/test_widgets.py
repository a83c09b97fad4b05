from __future__ import annotations

import pytest

from brickyard.runtime.dbutils.widgets import WidgetsUtils
from brickyard.runtime.exceptions import InputWidgetNotDefined


def test_text_widget_default_and_passed_parameter_override() -> None:
    widgets = WidgetsUtils({"date": "2026-11-21"})
    widgets.text("date", "1970-01-01")
    widgets.text("env", "dev", "Environment")
    assert widgets.get("date") == "2026-11-21"
    assert widgets.get("env") == "dev"


def test_get_always_returns_strings() -> None:
    widgets = WidgetsUtils()
    widgets.text("n", 5)  # type: ignore[arg-type]
    assert widgets.get("n") == "5"


def test_passed_parameter_readable_without_declaration() -> None:
    assert WidgetsUtils({"x": "1"}).get("x") == "1"


def test_undeclared_and_unpassed_raises_input_widget_not_defined() -> None:
    with pytest.raises(InputWidgetNotDefined, match="No input widget named missing is defined"):
        WidgetsUtils().get("missing")


def test_dropdown_default_must_be_in_choices() -> None:
    widgets = WidgetsUtils()
    widgets.dropdown("env", "dev", ["dev", "prod"])
    assert widgets.get("env") == "dev"
    with pytest.raises(ValueError, match="'test' is not one of the choices"):
        widgets.dropdown("env2", "test", ["dev", "prod"])


def test_combobox_allows_any_default() -> None:
    widgets = WidgetsUtils()
    widgets.combobox("fruit", "kiwi", ["apple", "mango"])
    assert widgets.get("fruit") == "kiwi"


def test_multiselect_value_is_comma_joined() -> None:
    widgets = WidgetsUtils()
    widgets.multiselect("days", "Mon", ["Mon", "Tue", "Wed"])
    widgets.multiselect("more", ["Mon", "Wed"], ["Mon", "Tue", "Wed"])
    assert widgets.get("days") == "Mon"
    assert widgets.get("more") == "Mon,Wed"
    with pytest.raises(ValueError, match="not among the choices"):
        widgets.multiselect("bad", ["Sun"], ["Mon"])


def test_choices_must_be_a_non_empty_list() -> None:
    with pytest.raises(ValueError, match="choices"):
        WidgetsUtils().dropdown("x", "a", [])


def test_get_argument_returns_default_when_undefined() -> None:
    widgets = WidgetsUtils({"a": "1"})
    assert widgets.getArgument("a") == "1"
    assert widgets.getArgument("b", "fallback") == "fallback"
    assert widgets.getArgument("b") is None


def test_get_all_remove_and_remove_all() -> None:
    widgets = WidgetsUtils({"passed": "p", "a": "override"})
    widgets.text("a", "1")
    widgets.text("b", "2")
    assert widgets.getAll() == {"a": "override", "b": "2", "passed": "p"}
    widgets.remove("b")
    with pytest.raises(InputWidgetNotDefined):
        widgets.get("b")
    with pytest.raises(InputWidgetNotDefined):
        widgets.remove("b")
    widgets.removeAll()
    assert widgets.getAll() == {"passed": "p", "a": "override"}


def test_arguments_overlay_for_run_includes() -> None:
    widgets = WidgetsUtils({"x": "job"})
    with widgets.arguments({"x": "inner", "y": "1"}):
        assert widgets.get("x") == "inner"
        assert widgets.get("y") == "1"
    assert widgets.get("x") == "job"
    with pytest.raises(InputWidgetNotDefined):
        widgets.get("y")
