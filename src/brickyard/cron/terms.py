"""One field's comma-separated items: ``*``, values, names, ranges and steps, checked against the
field's range and expanded to the values Quartz selects (its ``addToSet``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Final, NoReturn

from brickyard.cron.errors import CronSyntaxError
from brickyard.cron.fields import (
    FIELD_ORDER,
    MAX_YEAR,
    SPECS,
    STAR,
    Field,
    FieldSpec,
    Term,
    Values,
)
from brickyard.cron.suggest import (
    name_prefix,
    other_kind_of_name,
    replace_field,
    shorten_names,
)

INT_LIMIT: Final = 2**31 - 1
"""Quartz reads numbers with ``Integer.parseInt``; anything larger is an error there too."""


class ParseContext:
    """The expression being parsed, for messages and suggested corrections."""

    def __init__(self, tokens: Sequence[str], parses: Callable[[str], bool]) -> None:
        self.tokens = list(tokens)
        self._parses = parses

    def fail(
        self, field: Field, token: str, reason: str, *, replacement: str | None = None
    ) -> NoReturn:
        """Raise ``<field>: '<token>' <reason>``, suggesting the expression with ``field``
        written as ``replacement`` when that parses."""
        suggestion = None
        if replacement is not None:
            candidate = replace_field(self.tokens, FIELD_ORDER.index(field), replacement)
            suggestion = candidate if self._parses(candidate) else None
        raise CronSyntaxError(
            f"{field.value}: '{token}' {reason}",
            field=field.value,
            token=token,
            suggestion=suggestion,
        )


def small_int(text: str) -> int:
    """``text`` (ASCII digits) as a number; an absurdly long one as a number too large for
    anything (Python refuses to read numbers of thousands of digits)."""
    return int(text) if len(text.lstrip("0")) <= 10 else INT_LIMIT + 1


def all_values(spec: FieldSpec) -> Values:
    """The field written as ``*``."""
    return Values((STAR,), tuple(expand(spec, STAR)))


def parse_values(context: ParseContext, field: Field, token: str) -> Values:
    """A field of plain items (no ``?``, ``L``, ``W`` or ``#``)."""
    spec = SPECS[field]
    items = token.split(",")
    if not all(items):
        context.fail(field, token, "has an empty item between commas")
    terms = tuple(_term(context, spec, item) for item in items)
    values: set[int] = set()
    for term in terms:
        values.update(expand(spec, term))
    return Values(terms, tuple(sorted(values)))


def parse_value(context: ParseContext, field: Field, item: str, text: str) -> tuple[int, bool]:
    """A number or a name of ``field`` (``text``, part of ``item``), and whether it was a name."""
    spec = SPECS[field]
    if text.isdigit():
        if spec.low <= small_int(text) <= spec.high:
            return int(text), False
        # Unix cron users write 0 for Sunday
        hint = (
            " (Quartz's Sunday is 1)" if field is Field.DAY_OF_WEEK and small_int(text) == 0 else ""
        )
        context.fail(field, text, f"is not in {spec.describe_range()}{hint}")
    if text.upper() in spec.names:
        return spec.low + spec.names.index(text.upper()), True
    _bad_value(context, spec, item, text)


def expand(spec: FieldSpec, term: Term) -> range | list[int]:
    """The values ``term`` selects, as Quartz's ``addToSet`` computes them."""
    last = MAX_YEAR if spec.field is Field.YEAR else spec.high
    step = term.step or 1
    if term.start is None:
        return range(spec.low, last + 1, step)
    start = term.start
    stop = term.end if term.end is not None else (last if term.step is not None else start)
    if stop >= start:
        return range(start, stop + 1, step)
    period = spec.wrap
    assert period is not None  # the parser rejects backwards ranges where nothing wraps
    # A backwards range runs through the end of the period: 22-2 is 22, 23, 0, 1, 2. In the
    # fields that count from 1 the value one period on is the period itself (31, 12, 7).
    return [
        (value % period) or (period if spec.low == 1 else 0)
        for value in range(start, stop + period + 1, step)
    ]


def _term(context: ParseContext, spec: FieldSpec, item: str) -> Term:
    field = spec.field
    if item == "*":
        return STAR
    if item.startswith(("*/", "/")):  # Quartz reads '/n' as '*/n'
        return Term(step=_step(context, spec, item, item.split("/", 1)[1], bounded=True))
    if item.startswith("*"):
        context.fail(field, item, f"has an unexpected {item[1]!r} after '*'")
    base, slash, step_text = item.partition("/")
    start_text, dash, end_text = base.partition("-")
    if "/" in step_text:
        context.fail(field, item, "has more than one '/'")
    if "-" in end_text:
        context.fail(field, item, "has more than one '-'")
    if not start_text:
        context.fail(field, item, "has no value before '-'")
    if dash and not end_text:
        context.fail(field, item, "has no value after '-'")
    start, named = parse_value(context, field, item, start_text)
    end, end_named = parse_value(context, field, item, end_text) if dash else (None, named)
    if named != end_named:
        context.fail(field, item, "mixes a name and a number in one range")
    step = None
    if slash:
        if named:
            numbers = "-".join(str(value) for value in (start, end) if value is not None)
            context.fail(
                field,
                item,
                "puts a step after a name, which Quartz silently ignores; write it in numbers "
                f"('{numbers}/{step_text}')",
            )
        step = _step(context, spec, item, step_text, bounded=not dash)
    if end is not None and end < start and spec.wrap is None:
        context.fail(field, item, "goes backwards, and year ranges cannot wrap")
    if slash and not dash and field is Field.YEAR and start > MAX_YEAR:
        context.fail(field, item, f"starts after {MAX_YEAR}, the last year Quartz fires in")
    return Term(start, end, step)


def _step(context: ParseContext, spec: FieldSpec, item: str, text: str, *, bounded: bool) -> int:
    field = spec.field
    if not text.isdigit():
        context.fail(field, item, "needs a number after '/'")
    step = small_int(text)
    if step == 0:
        context.fail(field, item, "has a step of 0 (a step is 1 or more)")
    if step > INT_LIMIT:
        context.fail(field, item, "has a step too large to read")
    # Quartz limits the step after '*' or a single value, not after a range.
    if bounded and spec.max_step is not None and step > spec.max_step:
        context.fail(field, item, f"has a step larger than {spec.max_step}")
    return step


def _bad_value(context: ParseContext, spec: FieldSpec, item: str, text: str) -> NoReturn:
    """Say why ``text`` is not a value of the field, as helpfully as possible."""
    field = spec.field
    upper = text.upper()
    if text.isalpha():
        prefix = name_prefix(text, spec.names)
        if prefix is not None:
            context.fail(
                field,
                text,
                "is not a name Quartz knows (it reads only the first three letters: "
                f"{spec.names[0]}-{spec.names[-1]})",
                replacement=shorten_names(context.tokens[FIELD_ORDER.index(field)], spec.names),
            )
        kind = other_kind_of_name(text, spec.names)
        if kind is not None:
            context.fail(field, text, f"is {kind}, not {spec.describe_range()}")
    if "W" in upper:
        if field is Field.DAY_OF_MONTH:
            context.fail(field, item, "puts 'W' after more than one day ('W' takes one: '15W')")
        context.fail(field, item, "is not allowed here ('W' works only in day-of-month: '15W')")
    if "L" in upper:
        if field in (Field.DAY_OF_MONTH, Field.DAY_OF_WEEK):
            context.fail(
                field, item, "uses 'L' inside a range, list or step, which Quartz cannot do"
            )
        context.fail(
            field, item, "is not allowed here ('L' works only in day-of-month and day-of-week)"
        )
    if text.isalpha():
        context.fail(field, text, f"is not in {spec.describe_range()}")
    unexpected = next(char for char in text if not char.isdigit())
    context.fail(field, item, f"has an unexpected {unexpected!r}")
