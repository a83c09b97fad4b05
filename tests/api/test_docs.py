"""``/docs`` and ``/redoc`` load nothing from outside the server: every script, style and icon
they name is a local URL, and the server serves it."""

from __future__ import annotations

import re

import httpx
import pytest

from support.api_server import RunningServer


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_the_pages_assets_are_local_and_served(server: RunningServer, page: str) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as anonymous:
        html = anonymous.get(page)
        assert html.status_code == 200 and "text/html" in html.headers["content-type"]
        urls = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html.text)
        urls += re.findall(r"""url: ?["']([^"']+)["']""", html.text)
        assert urls, html.text
        assert "://" not in html.text.replace("http://www.w3.org", ""), html.text
        assert all(url.startswith("/") for url in urls), urls
        for url in urls:
            asset = anonymous.get(url)
            assert asset.status_code == 200, url
            assert asset.content, url
        assert "/openapi.json" in urls or "/openapi.json" in html.text
