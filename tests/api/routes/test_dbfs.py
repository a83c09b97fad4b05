"""The DBFS API 2.0 against a real server: each endpoint's shape and errors, the SDK's
``w.dbfs.upload`` / ``download`` (create, add-block, close; read in 1 MB chunks), a 5 MB+ file,
paths that try to leave the storage, and a job reading what was uploaded."""

from __future__ import annotations

import base64
import io
import os
from typing import Any

import httpx
import pytest
from databricks.sdk import WorkspaceClient
from databricks.sdk import errors as sdk_errors

from support.api_server import RunningServer, python_job, wait_for_run

BASE = "/api/2.0/dbfs"
MB = 1024 * 1024


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def assert_error(response: httpx.Response, status: int, error_code: str, text: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error_code"] == error_code
    assert text in body["message"]


def status(api: httpx.Client, path: str) -> dict[str, Any]:
    response = api.get(f"{BASE}/get-status", params={"path": path})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.fixture
def sdk(server: RunningServer) -> WorkspaceClient:
    return WorkspaceClient(host=server.url, token=server.token)


def test_put_then_get_status_read_and_list(server: RunningServer, api: httpx.Client) -> None:
    response = api.post(f"{BASE}/put", json={"path": "/FileStore/a.txt", "contents": b64(b"hi")})
    assert response.status_code == 200 and response.json() == {}
    assert (server.home / "dbfs" / "FileStore" / "a.txt").read_bytes() == b"hi"

    info = status(api, "dbfs:/FileStore/a.txt")
    assert info["path"] == "/FileStore/a.txt" and info["is_dir"] is False
    assert info["file_size"] == 2 and info["modification_time"] > 0
    read = api.get(f"{BASE}/read", params={"path": "/FileStore/a.txt", "offset": 1, "length": 5})
    assert read.json() == {"bytes_read": 1, "data": b64(b"i")}
    listing = api.get(f"{BASE}/list", params={"path": "/FileStore"}).json()
    assert [(f["path"], f["is_dir"], f["file_size"]) for f in listing["files"]] == [
        ("/FileStore/a.txt", False, 2)
    ]
    assert status(api, "/FileStore")["is_dir"] is True


def test_put_refuses_an_existing_file_without_overwrite_and_too_much_inline_data(
    api: httpx.Client,
) -> None:
    assert api.post(f"{BASE}/put", json={"path": "/x", "contents": b64(b"1")}).status_code == 200
    again = api.post(f"{BASE}/put", json={"path": "/x", "contents": b64(b"2")})
    assert_error(again, 409, "RESOURCE_ALREADY_EXISTS", "/x")
    replaced = api.post(
        f"{BASE}/put", json={"path": "/x", "contents": b64(b"2"), "overwrite": True}
    )
    assert replaced.status_code == 200
    too_big = api.post(f"{BASE}/put", json={"path": "/big", "contents": b64(b"0" * (MB + 1))})
    assert_error(too_big, 400, "MAX_BLOCK_SIZE_EXCEEDED", "create, add-block and close")


def test_put_takes_a_multipart_form(server: RunningServer, api: httpx.Client) -> None:
    # the legacy CLI's `databricks fs cp` for files under 2 GB
    response = api.post(
        f"{BASE}/put",
        data={"path": "/lib/tool.whl", "overwrite": "True"},
        files={"file": ("tool.whl", b"\x00wheel\r\n--bytes", "multipart/form-data")},
    )
    assert response.status_code == 200, response.text
    assert (server.home / "dbfs" / "lib" / "tool.whl").read_bytes() == b"\x00wheel\r\n--bytes"


def test_streaming_upload_handles(server: RunningServer, api: httpx.Client) -> None:
    handle = api.post(f"{BASE}/create", json={"path": "/up/data.bin"}).json()["handle"]
    for block in (b"one,", b"two"):
        response = api.post(f"{BASE}/add-block", json={"handle": handle, "data": b64(block)})
        assert response.status_code == 200 and response.json() == {}
    # nothing is at the path until the upload is closed
    assert not (server.home / "dbfs" / "up" / "data.bin").exists()
    assert api.post(f"{BASE}/close", json={"handle": handle}).json() == {}
    assert (server.home / "dbfs" / "up" / "data.bin").read_bytes() == b"one,two"

    closed = api.post(f"{BASE}/add-block", json={"handle": handle, "data": b64(b"x")})
    assert_error(closed, 404, "RESOURCE_DOES_NOT_EXIST", str(handle))
    existing = api.post(f"{BASE}/create", json={"path": "/up/data.bin"})
    assert_error(existing, 409, "RESOURCE_ALREADY_EXISTS", "/up/data.bin")
    other = api.post(f"{BASE}/create", json={"path": "/up/other"}).json()["handle"]
    big = api.post(f"{BASE}/add-block", json={"handle": other, "data": b64(b"0" * (MB + 1))})
    assert_error(big, 400, "MAX_BLOCK_SIZE_EXCEEDED", "1048576")


def test_read_errors(api: httpx.Client) -> None:
    api.post(f"{BASE}/mkdirs", json={"path": "/d"})
    assert_error(
        api.get(f"{BASE}/read", params={"path": "/missing"}), 404, "RESOURCE_DOES_NOT_EXIST", ""
    )
    assert_error(
        api.get(f"{BASE}/read", params={"path": "/d"}), 400, "INVALID_PARAMETER_VALUE", "directory"
    )
    too_long = api.get(f"{BASE}/read", params={"path": "/d", "length": MB + 1})
    assert_error(too_long, 400, "MAX_READ_SIZE_EXCEEDED", "1048576")
    negative = api.get(f"{BASE}/read", params={"path": "/d", "offset": -1})
    assert_error(negative, 400, "INVALID_PARAMETER_VALUE", "negative")


def test_mkdirs_move_and_delete(server: RunningServer, api: httpx.Client) -> None:
    assert api.post(f"{BASE}/mkdirs", json={"path": "/a/b/c"}).json() == {}
    api.post(f"{BASE}/put", json={"path": "/a/b/c/f", "contents": b64(b"f")})
    in_the_way = api.post(f"{BASE}/mkdirs", json={"path": "/a/b/c/f/g"})
    assert_error(in_the_way, 409, "RESOURCE_ALREADY_EXISTS", "/a/b/c/f/g")

    assert (
        api.post(f"{BASE}/move", json={"source_path": "/a/b", "destination_path": "/z"}).json()
        == {}
    )
    assert status(api, "/z/c/f")["file_size"] == 1
    missing = api.post(f"{BASE}/move", json={"source_path": "/a/b", "destination_path": "/y"})
    assert_error(missing, 404, "RESOURCE_DOES_NOT_EXIST", "/a/b")
    api.post(f"{BASE}/mkdirs", json={"path": "/y"})
    taken = api.post(f"{BASE}/move", json={"source_path": "/z", "destination_path": "/y"})
    assert_error(taken, 409, "RESOURCE_ALREADY_EXISTS", "/y")

    into_itself = api.post(f"{BASE}/move", json={"source_path": "/z", "destination_path": "/z/in"})
    assert_error(into_itself, 400, "IO_ERROR", "into itself")
    under_a_file = api.post(f"{BASE}/delete", json={"path": "/z/c/f/nothing"})
    assert under_a_file.status_code == 200
    not_empty = api.post(f"{BASE}/delete", json={"path": "/z"})
    assert_error(not_empty, 400, "IO_ERROR", "recursive")
    assert api.post(f"{BASE}/delete", json={"path": "/z", "recursive": True}).json() == {}
    assert not (server.home / "dbfs" / "z").exists()
    assert api.post(f"{BASE}/delete", json={"path": "/never-was"}).json() == {}
    assert api.get(f"{BASE}/list", params={"path": "/y"}).json() == {}


@pytest.mark.parametrize(
    "path",
    ["/../outside", "dbfs:/a/../../outside", "/Volumes/c/s/v/../../../../x", "relative", "/a\x00b"],
)
def test_paths_cannot_leave_the_storage(
    server: RunningServer, api: httpx.Client, path: str
) -> None:
    response = api.post(f"{BASE}/put", json={"path": path, "contents": b64(b"x")})
    assert_error(response, 400, "INVALID_PARAMETER_VALUE", repr(path)[1:-1])
    assert not (server.home / "outside").exists() and not (server.home / "x").exists()


def test_a_symbolic_link_out_of_the_storage_is_refused(
    server: RunningServer, api: httpx.Client, tmp_path: Any
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (server.home / "dbfs").mkdir(parents=True, exist_ok=True)
    (server.home / "dbfs" / "link").symlink_to(outside)
    response = api.post(f"{BASE}/put", json={"path": "/link/f", "contents": b64(b"x")})
    assert_error(response, 400, "INVALID_PARAMETER_VALUE", "outside")
    assert list(outside.iterdir()) == []


def test_volumes_paths_share_the_files_api_storage(
    server: RunningServer, api: httpx.Client
) -> None:
    api.post(f"{BASE}/put", json={"path": "/Volumes/main/raw/in/a.csv", "contents": b64(b"1,2")})
    assert (server.home / "volumes" / "main" / "raw" / "in" / "a.csv").read_bytes() == b"1,2"
    downloaded = api.get("/api/2.0/fs/files/Volumes/main/raw/in/a.csv")
    assert downloaded.content == b"1,2"


def test_sdk_upload_and_download_a_file_of_several_blocks(
    server: RunningServer, sdk: WorkspaceClient
) -> None:
    content = os.urandom(5 * MB + 123)
    sdk.dbfs.upload("dbfs:/FileStore/big.bin", io.BytesIO(content))
    assert (server.home / "dbfs" / "FileStore" / "big.bin").read_bytes() == content
    assert sdk.dbfs.download("dbfs:/FileStore/big.bin").read() == content
    assert sdk.dbfs.exists("/FileStore/big.bin")
    assert [f.path for f in sdk.dbfs.list("/FileStore")] == ["/FileStore/big.bin"]
    with pytest.raises(sdk_errors.ResourceAlreadyExists):
        sdk.dbfs.upload("/FileStore/big.bin", io.BytesIO(b"again"))
    sdk.dbfs.upload("/FileStore/big.bin", io.BytesIO(b"again"), overwrite=True)
    assert sdk.dbfs.download("/FileStore/big.bin").read() == b"again"
    sdk.dbfs.delete("/FileStore", recursive=True)
    with pytest.raises(sdk_errors.NotFound):
        sdk.dbfs.get_status("/FileStore/big.bin")


def test_a_job_runs_an_uploaded_script_on_uploaded_data(
    api: httpx.Client, sdk: WorkspaceClient
) -> None:
    sdk.dbfs.upload("dbfs:/data/numbers.txt", io.BytesIO(b"1\n2\n3\n"))
    script = b"""
total = sum(int(line) for line in dbutils.fs.head("dbfs:/data/numbers.txt").split())
assert total == 6, total
dbutils.fs.put("dbfs:/data/total.txt", str(total))
"""
    sdk.dbfs.upload("/jobs/total.py", io.BytesIO(script))
    job = api.post("/api/2.2/jobs/create", json=python_job("total", "dbfs:/jobs/total.py")).json()
    run = api.post("/api/2.2/jobs/run-now", json={"job_id": job["job_id"]}).json()
    finished = wait_for_run(api, run["run_id"])
    assert finished["state"]["result_state"] == "SUCCESS", finished["state"]
    assert sdk.dbfs.download("/data/total.txt").read() == b"6"
