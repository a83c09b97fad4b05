# ruff: noqa: N802, N803 - dbutils mirrors the Databricks API's camelCase names.
"""``dbutils.widgets``: notebook parameters, declared with defaults and overridden by the job."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from brickyard.runtime.exceptions import InputWidgetNotDefined


@dataclass(frozen=True)
class WidgetInfo:
    """One declared input widget."""

    kind: str
    name: str
    default: str
    choices: tuple[str, ...] = ()
    label: str | None = None


class WidgetsUtils:
    """Input widgets. In a job, the parameters passed to the task override the defaults and
    can be read even when the notebook never declares them; values are always strings."""

    def __init__(self, parameters: Mapping[str, str] | None = None) -> None:
        self._parameters = dict(parameters or {})
        self._overlays: list[dict[str, str]] = []
        self._widgets: dict[str, WidgetInfo] = {}

    def text(self, name: str, defaultValue: str, label: str | None = None) -> None:
        """Declare a text widget."""
        self._declare(WidgetInfo("text", name, _as_text(defaultValue), (), label))

    def dropdown(
        self, name: str, defaultValue: str, choices: Sequence[str], label: str | None = None
    ) -> None:
        """Declare a dropdown widget; ``defaultValue`` must be one of ``choices``."""
        options = _choices(name, choices)
        default = _as_text(defaultValue)
        if default not in options:
            raise ValueError(
                f"dropdown widget {name!r}: default value {default!r} is not one of the "
                f"choices {list(options)}"
            )
        self._declare(WidgetInfo("dropdown", name, default, options, label))

    def combobox(
        self, name: str, defaultValue: str, choices: Sequence[str], label: str | None = None
    ) -> None:
        """Declare a combobox widget (a text box with suggestions: any value is allowed)."""
        options = _choices(name, choices)
        self._declare(WidgetInfo("combobox", name, _as_text(defaultValue), options, label))

    def multiselect(
        self,
        name: str,
        defaultValue: str | Sequence[str],
        choices: Sequence[str],
        label: str | None = None,
    ) -> None:
        """Declare a multiselect widget; its value is the selected choices joined by commas."""
        options = _choices(name, choices)
        selected = (
            [defaultValue] if isinstance(defaultValue, str) else [str(v) for v in defaultValue]
        )
        unknown = [value for value in selected if value not in options]
        if unknown:
            raise ValueError(
                f"multiselect widget {name!r}: default value(s) {unknown} are not among the "
                f"choices {list(options)}"
            )
        self._declare(WidgetInfo("multiselect", name, ",".join(selected), options, label))

    def get(self, name: str) -> str:
        """The widget's value: the passed parameter, else the declared default."""
        value = self._lookup(name)
        if value is None:
            raise InputWidgetNotDefined(
                f"No input widget named {name} is defined: declare it with "
                f"dbutils.widgets.text({name!r}, <default>) or pass it as a task parameter"
            )
        return value

    def getArgument(self, name: str, default: str | None = None) -> str | None:
        """Deprecated alias of :meth:`get` that returns ``default`` for an undefined name."""
        value = self._lookup(name)
        return default if value is None else value

    def getAll(self) -> dict[str, str]:
        """Every widget value and passed parameter, by name."""
        values = {name: widget.default for name, widget in self._widgets.items()}
        values.update(self._parameters)
        for overlay in self._overlays:
            values.update(overlay)
        return values

    def remove(self, name: str) -> None:
        """Remove a declared widget."""
        if name not in self._widgets:
            raise InputWidgetNotDefined(f"No input widget named {name} is defined")
        del self._widgets[name]

    def removeAll(self) -> None:
        """Remove every declared widget."""
        self._widgets.clear()

    def declared(self) -> dict[str, WidgetInfo]:
        """The declared widgets (for the executed notebook's metadata)."""
        return dict(self._widgets)

    @contextmanager
    def arguments(self, values: Mapping[str, str]) -> Iterator[None]:
        """Pass ``values`` as parameters while the block runs (``%run ./nb $x="1"``)."""
        self._overlays.append(dict(values))
        try:
            yield
        finally:
            self._overlays.pop()

    def _declare(self, widget: WidgetInfo) -> None:
        if not isinstance(widget.name, str) or not widget.name:
            raise ValueError("a widget name must be a non-empty string")
        self._widgets[widget.name] = widget

    def _lookup(self, name: str) -> str | None:
        for overlay in reversed(self._overlays):
            if name in overlay:
                return overlay[name]
        if name in self._parameters:
            return self._parameters[name]
        widget = self._widgets.get(name)
        return None if widget is None else widget.default


def _as_text(value: object) -> str:
    return value if isinstance(value, str) else str(value)


def _choices(name: str, choices: Sequence[str]) -> tuple[str, ...]:
    if isinstance(choices, str) or not choices:
        raise ValueError(f"widget {name!r}: choices must be a non-empty list of strings")
    return tuple(_as_text(choice) for choice in choices)
