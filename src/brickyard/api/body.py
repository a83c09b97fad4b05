"""Request bodies as every client sends them.

The legacy CLI sends ``Content-Type: text/json``, some clients send none, and Airflow turns
every number into a string (jobs-api.md §1.2). So a body is parsed as JSON whatever its content
type, must be a JSON object, and is validated by a lenient pydantic model whose errors name the
field.
"""

from __future__ import annotations

from typing import Any, TypeVar

import orjson
from fastapi import Request
from pydantic import BaseModel, ValidationError

from brickyard.errors import InvalidInputError

ModelT = TypeVar("ModelT", bound=BaseModel)


async def json_object(request: Request) -> dict[str, Any]:
    """The request's JSON object body (``{}`` when empty). A FastAPI dependency."""
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise InvalidInputError(f"Malformed JSON request body: {exc}") from exc
    if not isinstance(value, dict):
        raise InvalidInputError(
            f"The request body must be a JSON object, got {type(value).__name__}"
        )
    return value


def parse_body(model: type[ModelT], body: dict[str, Any]) -> ModelT:
    """``body`` validated by ``model``; the first problem names its field."""
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        raise InvalidInputError(describe_validation_error(exc)) from exc


def describe_validation_error(exc: ValidationError) -> str:
    """One line per problem: ``Invalid value for 'tasks[0].timeout_seconds': ...``."""
    problems = []
    for error in exc.errors():
        where = field_path(error.get("loc", ()))
        if error.get("type") == "missing":
            problems.append(f"Missing required field: {where}")
        else:
            message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
            problems.append(f"Invalid value for '{where}': {message}")
    return "; ".join(problems)


def field_path(location: tuple[int | str, ...] | list[int | str]) -> str:
    """``("tasks", 0, "task_key")`` as ``tasks[0].task_key``."""
    path = ""
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def required(body: dict[str, Any], name: str) -> Any:
    """A field the request must carry."""
    if body.get(name) is None:
        raise InvalidInputError(f"Missing required field: {name}")
    return body[name]
