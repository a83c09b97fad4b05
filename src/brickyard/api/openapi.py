"""The OpenAPI document: request bodies described by the same pydantic models that parse them.

Routes read their bodies themselves (any content type, see :mod:`brickyard.api.body`), so
FastAPI cannot see the models; :func:`request_body` registers a model's schema for the
document and returns the route's ``openapi_extra``.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel

_MODELS: dict[str, type[BaseModel]] = {}
"""Body models by name; their schemas are generated when the document is first asked for
(generating the job settings' schema takes ~0.1 s a model: not something to do at start-up)."""
_REF = "#/components/schemas/{model}"


_JSON_SCHEMA_BOUNDS = {
    "ge": "minimum",
    "le": "maximum",
    "gt": "exclusiveMinimum",
    "lt": "exclusiveMaximum",
}
"""Pydantic's constraint names, as it leaves them on lenient (validator-wrapped) numbers."""


def _standard_bounds(node: Any) -> Any:
    """``node`` with pydantic's ``ge``/``le`` on numbers renamed to JSON Schema's keywords
    (property names are left alone)."""
    if isinstance(node, list):
        return [_standard_bounds(item) for item in node]
    if not isinstance(node, dict):
        return node
    numeric = node.get("type") in ("integer", "number")
    fixed: dict[str, Any] = {}
    for key, value in node.items():
        if key == "properties" and isinstance(value, dict):
            fixed[key] = {name: _standard_bounds(sub) for name, sub in value.items()}
        elif numeric and key in _JSON_SCHEMA_BOUNDS:
            fixed[_JSON_SCHEMA_BOUNDS[key]] = value
        else:
            fixed[key] = _standard_bounds(value)
    return fixed


def request_body(model: type[BaseModel]) -> dict[str, Any]:
    """``openapi_extra`` documenting a JSON request body validated by ``model``."""
    _MODELS[model.__name__] = model
    ref = {"$ref": _REF.format(model=model.__name__)}
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": ref}},
        }
    }


def body_schemas() -> dict[str, dict[str, Any]]:
    """The JSON schemas of every registered body model and of the models they use."""
    schemas: dict[str, dict[str, Any]] = {}
    for name, model in _MODELS.items():
        schema = _standard_bounds(model.model_json_schema(ref_template=_REF))
        schemas.update(schema.pop("$defs", {}))
        schemas[name] = schema
    return schemas


def install_openapi(app: FastAPI) -> None:
    """Serve the document with the registered body schemas and bearer auth."""

    def build() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            components = document.setdefault("components", {})
            components.setdefault("schemas", {}).update(body_schemas())
            components["securitySchemes"] = {
                "bearer": {"type": "http", "scheme": "bearer"},
            }
            document["security"] = [{"bearer": []}]
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = build  # type: ignore[method-assign]
