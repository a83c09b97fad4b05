"""The Files API 2.0 against a real server: raw uploads and downloads (a 5 MB+ file streamed,
``Range`` requests), metadata, directories, the SDK's ``w.files`` including its large-file
protocol, paths that try to leave the volumes, and a job reading an uploaded file."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from pathlib import Path

import httpx
import pytest
from databricks.sdk import WorkspaceClient
from databricks.sdk import errors as sdk_errors
from databricks.sdk.core import Config

from support.api_server import RunningServer, python_job, wait_for_run

FILES = "/api/2.0/fs/files"
DIRECTORIES = "/api/2.0/fs/directories"
MB = 1024 * 1024


@pytest.fixture
def sdk(server: RunningServer) -> WorkspaceClient:
    return WorkspaceClient(host=server.url, token=server.token)


def test_upload_download_head_and_delete(server: RunningServer, api: httpx.Client) -> None:
    uploaded = api.put(f"{FILES}/Volumes/main/raw/in/a.csv", content=b"x,y\n1,2\n")
    assert uploaded.status_code == 204, uploaded.text
    stored = server.home / "volumes" / "main" / "raw" / "in" / "a.csv"
    assert stored.read_bytes() == b"x,y\n1,2\n"

    downloaded = api.get(f"{FILES}/Volumes/main/raw/in/a.csv")
    assert downloaded.status_code == 200 and downloaded.content == b"x,y\n1,2\n"
    assert downloaded.headers["content-type"] == "application/octet-stream"
    assert downloaded.headers["content-length"] == "8"
    assert parsedate_to_datetime(downloaded.headers["last-modified"]).year >= 2024
    part = api.get(f"{FILES}/Volumes/main/raw/in/a.csv", headers={"Range": "bytes=4-"})
    assert part.status_code == 206 and part.content == b"1,2\n"

    head = api.head(f"{FILES}/Volumes/main/raw/in/a.csv")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == "8"

    assert api.delete(f"{FILES}/Volumes/main/raw/in/a.csv").status_code == 204
    assert not stored.exists()
    missing = api.get(f"{FILES}/Volumes/main/raw/in/a.csv")
    assert missing.status_code == 404
    assert missing.json()["error_code"] == "RESOURCE_DOES_NOT_EXIST"
    assert api.head(f"{FILES}/Volumes/main/raw/in/a.csv").status_code == 404


def test_overwrite_false_keeps_the_existing_file(server: RunningServer, api: httpx.Client) -> None:
    api.put(f"{FILES}/Volumes/c/s/v/f", content=b"first")
    refused = api.put(f"{FILES}/Volumes/c/s/v/f", params={"overwrite": "false"}, content=b"2")
    assert refused.status_code == 409
    assert refused.json()["error_code"] == "RESOURCE_ALREADY_EXISTS"
    assert api.put(f"{FILES}/Volumes/c/s/v/f", content=b"second").status_code == 204
    assert (server.home / "volumes" / "c" / "s" / "v" / "f").read_bytes() == b"second"


def test_a_large_upload_is_streamed(server: RunningServer, api: httpx.Client) -> None:
    chunk = os.urandom(MB)

    def body() -> Iterator[bytes]:
        for _ in range(6):
            yield chunk

    # a generator body goes out with chunked transfer encoding, a chunk at a time
    uploaded = api.put(f"{FILES}/Volumes/c/s/v/big.bin", content=body())
    assert uploaded.status_code == 204, uploaded.text
    stored = server.home / "volumes" / "c" / "s" / "v" / "big.bin"
    assert stored.stat().st_size == 6 * MB
    assert stored.read_bytes() == chunk * 6
    assert list((server.home / "uploads").iterdir()) == []  # nothing staged is left behind
    with api.stream("GET", f"{FILES}/Volumes/c/s/v/big.bin") as response:
        received = b"".join(response.iter_bytes())
    assert received == chunk * 6


def test_directories(api: httpx.Client) -> None:
    assert api.put(f"{DIRECTORIES}/Volumes/c/s/v/a/b").status_code == 204
    assert api.put(f"{DIRECTORIES}/Volumes/c/s/v/a/b").status_code == 204  # idempotent
    api.put(f"{FILES}/Volumes/c/s/v/a/f.txt", content=b"12345")
    assert api.head(f"{DIRECTORIES}/Volumes/c/s/v/a").status_code == 200
    assert api.head(f"{DIRECTORIES}/Volumes/c/s/v/nope").status_code == 404

    listing = api.get(f"{DIRECTORIES}/Volumes/c/s/v/a").json()
    assert [(e["name"], e["is_directory"], e.get("file_size")) for e in listing["contents"]] == [
        ("b", True, None),
        ("f.txt", False, 5),
    ]
    assert listing["contents"][1]["path"] == "/Volumes/c/s/v/a/f.txt"
    first = api.get(f"{DIRECTORIES}/Volumes/c/s/v/a", params={"page_size": 1}).json()
    assert [e["name"] for e in first["contents"]] == ["b"]
    rest = api.get(
        f"{DIRECTORIES}/Volumes/c/s/v/a",
        params={"page_size": 1, "page_token": first["next_page_token"]},
    ).json()
    assert [e["name"] for e in rest["contents"]] == ["f.txt"] and "next_page_token" not in rest

    not_empty = api.delete(f"{DIRECTORIES}/Volumes/c/s/v/a")
    assert not_empty.status_code == 400 and not_empty.json()["error_code"] == "IO_ERROR"
    assert api.delete(f"{DIRECTORIES}/Volumes/c/s/v/a/b").status_code == 204
    file_as_directory = api.put(f"{DIRECTORIES}/Volumes/c/s/v/a/f.txt/x")
    assert file_as_directory.status_code == 409


@pytest.mark.parametrize(
    "path", ["/Volumes/c/s/v/../../../../outside", "/Volumes/%2E%2E/%2E%2E/outside", "/tmp/x"]
)
def test_paths_outside_the_volumes_are_refused(
    server: RunningServer, api: httpx.Client, path: str
) -> None:
    response = api.put(f"{FILES}{path}", content=b"x")
    assert response.status_code == 400, response.text
    assert response.json()["error_code"] == "INVALID_PARAMETER_VALUE"
    assert not (server.home / "outside").exists()


def test_sdk_upload_download_and_metadata(server: RunningServer, sdk: WorkspaceClient) -> None:
    content = os.urandom(5 * MB + 7)
    sdk.files.upload("/Volumes/main/raw/in/data.bin", io.BytesIO(content))
    assert (server.home / "volumes" / "main" / "raw" / "in" / "data.bin").read_bytes() == content
    assert sdk.files.download("/Volumes/main/raw/in/data.bin").contents.read() == content
    metadata = sdk.files.get_metadata("/Volumes/main/raw/in/data.bin")
    assert metadata.content_length == len(content)
    with pytest.raises(sdk_errors.ResourceAlreadyExists):
        sdk.files.upload("/Volumes/main/raw/in/data.bin", io.BytesIO(b"x"), overwrite=False)

    sdk.files.create_directory("/Volumes/main/raw/out")
    names = {e.name for e in sdk.files.list_directory_contents("/Volumes/main/raw")}
    assert names == {"in", "out"}
    sdk.files.delete_directory("/Volumes/main/raw/out")
    sdk.files.delete("/Volumes/main/raw/in/data.bin")
    with pytest.raises(sdk_errors.NotFound):
        sdk.files.get_metadata("/Volumes/main/raw/in/data.bin")
    # w.dbfs hands /Volumes paths to the Files API
    sdk.dbfs.upload("/Volumes/main/raw/in/small.txt", io.BytesIO(b"small"))
    # (its reader needs a size: read() with none fails inside the SDK 0.156)
    assert sdk.dbfs.download("/Volumes/main/raw/in/small.txt").read(-1) == b"small"


def test_sdk_large_file_protocol_falls_back_to_one_streamed_put(server: RunningServer) -> None:
    # Above files_ext_multipart_upload_min_stream_size (50 MB by default; lowered here to keep
    # the test small) the SDK first asks for an upload session.
    config = Config(host=server.url, token=server.token)
    config.files_ext_multipart_upload_min_stream_size = MB
    sdk = WorkspaceClient(config=config)
    content = os.urandom(3 * MB)
    sdk.files.upload("/Volumes/c/s/v/large.bin", io.BytesIO(content))
    assert (server.home / "volumes" / "c" / "s" / "v" / "large.bin").read_bytes() == content

    class Unseekable(io.RawIOBase):
        """A pipe-like stream: the SDK cannot know its size up front."""

        def __init__(self, data: bytes) -> None:
            self._data = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
            data = self._data.read(len(buffer))
            buffer[: len(data)] = data
            return len(data)

    sdk.files.upload("/Volumes/c/s/v/piped.bin", io.BufferedReader(Unseekable(content)))
    assert (server.home / "volumes" / "c" / "s" / "v" / "piped.bin").read_bytes() == content


def test_sdk_parallel_download_uses_ranges(server: RunningServer, tmp_path: Path) -> None:
    # Above files_ext_parallel_download_min_file_size the SDK asks for a presigned download
    # URL, then (refused) downloads the parts with Range requests.
    config = Config(host=server.url, token=server.token)
    config.files_ext_parallel_download_min_file_size = MB
    config.files_ext_parallel_download_default_part_size = MB
    sdk = WorkspaceClient(config=config)
    content = os.urandom(3 * MB + 11)
    stored = server.home / "volumes" / "c" / "s" / "v" / "parts.bin"
    stored.parent.mkdir(parents=True)
    stored.write_bytes(content)
    target = tmp_path / "parts.bin"
    sdk.files.download_to("/Volumes/c/s/v/parts.bin", str(target), use_parallel=True)
    assert target.read_bytes() == content


def test_a_job_reads_a_file_uploaded_to_a_volume(
    server: RunningServer, api: httpx.Client, sdk: WorkspaceClient
) -> None:
    sdk.files.upload("/Volumes/main/raw/in/numbers.txt", io.BytesIO(b"4\n5\n"))
    script = server.write_file(
        "/Shared/sum.py",
        """
        numbers = dbutils.fs.head("/Volumes/main/raw/in/numbers.txt").split()
        dbutils.fs.put("/Volumes/main/raw/out/sum.txt", str(sum(map(int, numbers))))
        """,
    )
    job = api.post("/api/2.2/jobs/create", json=python_job("sum", script)).json()
    run = api.post("/api/2.2/jobs/run-now", json={"job_id": job["job_id"]}).json()
    finished = wait_for_run(api, run["run_id"])
    assert finished["state"]["result_state"] == "SUCCESS", finished["state"]
    assert sdk.files.download("/Volumes/main/raw/out/sum.txt").contents.read() == b"9"


def test_a_file_where_a_folder_would_be(api: httpx.Client, sdk: WorkspaceClient) -> None:
    api.put(f"{FILES}/Volumes/c/s/v/f", content=b"x")
    under = api.put(f"{FILES}/Volumes/c/s/v/f/g", content=b"y")
    assert under.status_code == 409 and under.json()["error_code"] == "RESOURCE_ALREADY_EXISTS"
    assert api.head(f"{DIRECTORIES}/Volumes/c/s/v/f").status_code == 404
    assert api.get(f"{DIRECTORIES}/Volumes/c/s/v/f").status_code == 404
    # the SDK's w.dbfs tells a volume file from a folder by that 404
    assert sdk.dbfs.exists("/Volumes/c/s/v/f")
    assert [f.path for f in sdk.dbfs.list("/Volumes/c/s/v/f")] == ["/Volumes/c/s/v/f"]
    sdk.dbfs.delete("/Volumes/c/s/v/f")
    assert not sdk.dbfs.exists("/Volumes/c/s/v/f")
