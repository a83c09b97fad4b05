"""A request's path names its API version; paths without one are read as the newest."""

from __future__ import annotations

import asyncio

import pytest
from starlette.requests import Request

from brickyard.api.versions import PREFIXES, api_version
from brickyard.views import ApiVersion


@pytest.mark.parametrize(
    ("path", "version"),
    [
        ("/api/2.0/jobs/list", ApiVersion.V2_0),
        ("/api/2.1/jobs/runs/get", ApiVersion.V2_1),
        ("/api/2.2/jobs/get", ApiVersion.V2_2),
        ("/api/2.9/jobs/get", ApiVersion.V2_2),
        ("/openapi.json", ApiVersion.V2_2),
    ],
)
def test_the_path_names_the_version(path: str, version: ApiVersion) -> None:
    request = Request({"type": "http", "path": path, "headers": []})
    assert asyncio.run(api_version(request)) is version


def test_every_version_is_served_under_its_prefix() -> None:
    assert tuple(f"/api/{version.value}" for version in ApiVersion) == PREFIXES
