"""The Workspace API 2.0 against a real server: every endpoint's JSON shape, its errors, the
SDK driving it, and a notebook imported through it running as a task."""

from __future__ import annotations

import base64
import io
import json
from typing import Any

import httpx
import pytest
from databricks.sdk import WorkspaceClient
from databricks.sdk import errors as sdk_errors
from databricks.sdk.service.workspace import ExportFormat, ImportFormat, Language, ObjectType

from brickyard.workspace import NotebookFormat, NotebookLanguage
from support.api_server import RunningServer, wait_for_run

BASE = "/api/2.0/workspace"
PY_HEADER = "# Databricks notebook source\n"


def b64(text: str | bytes) -> str:
    data = text.encode() if isinstance(text, str) else text
    return base64.b64encode(data).decode()


def import_(api: httpx.Client, path: str, content: str | bytes, **fields: Any) -> httpx.Response:
    return api.post(f"{BASE}/import", json={"path": path, "content": b64(content), **fields})


def status(api: httpx.Client, path: str) -> dict[str, Any]:
    response = api.get(f"{BASE}/get-status", params={"path": path})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def export(api: httpx.Client, path: str, **params: str) -> tuple[bytes, dict[str, Any]]:
    response = api.get(f"{BASE}/export", params={"path": path, **params})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return base64.b64decode(body["content"]), body


def assert_error(response: httpx.Response, status_code: int, error_code: str, text: str) -> None:
    assert response.status_code == status_code, response.text
    body = response.json()
    assert body["error_code"] == error_code
    assert text in body["message"]


def test_source_import_adds_the_header_and_is_listed_as_a_notebook(
    server: RunningServer, api: httpx.Client
) -> None:
    response = import_(api, "/Workspace/ETL/report", "SELECT 1", format="SOURCE", language="SQL")
    assert response.status_code == 200 and response.json() == {}
    stored = server.home / "workspace" / "ETL" / "report.sql"
    assert stored.read_text() == "-- Databricks notebook source\nSELECT 1"

    info = status(api, "/ETL/report")
    assert set(info) == {
        "object_type",
        "path",
        "language",
        "object_id",
        "created_at",
        "modified_at",
    }
    assert info["object_type"] == "NOTEBOOK"
    assert info["path"] == "/ETL/report"
    assert info["language"] == "SQL"
    assert info["object_id"] == stored.stat().st_ino
    assert info["modified_at"] == stored.stat().st_mtime_ns // 1_000_000
    assert status(api, "/Workspace/ETL/report") == info

    listing = api.get(f"{BASE}/list", params={"path": "/Workspace/ETL"}).json()
    assert listing == {"objects": [info]}
    folder = status(api, "/ETL")
    assert folder["object_type"] == "DIRECTORY" and folder["path"] == "/ETL"
    assert "language" not in folder and "size" not in folder


def test_every_import_format_stores_what_databricks_would(
    server: RunningServer, api: httpx.Client
) -> None:
    notebook = {"cells": [{"cell_type": "code", "source": ["print(1)"]}], "metadata": {}}
    cases = [
        ("/j/analysis", json.dumps(notebook), {"format": "JUPYTER"}),
        ("/a/etl.py", PY_HEADER + "x = 1\n", {"format": "AUTO"}),
        ("/a/helper.py", "def f():\n    return 1\n", {"format": "AUTO"}),
        ("/a/model.r", PY_HEADER + "x <- 1\n", {"format": "AUTO"}),
        ("/a/loose", json.dumps(notebook), {"format": "AUTO"}),
        ("/a/data.csv", "a,b\n1,2\n", {"format": "AUTO"}),
        ("/a/raw.py", PY_HEADER, {"format": "RAW"}),
        ("/a/default", "print(2)\n", {"language": "PYTHON"}),
    ]
    for path, content, fields in cases:
        response = import_(api, path, content, **fields)
        assert response.status_code == 200, (path, response.text)

    def described(path: str) -> tuple[str, str, str | None, int | None]:
        info = status(api, path)
        return info["path"], info["object_type"], info.get("language"), info.get("size")

    assert described("/j/analysis") == ("/j/analysis", "NOTEBOOK", "PYTHON", None)
    assert described("/a/etl") == ("/a/etl", "NOTEBOOK", "PYTHON", None)
    assert described("/a/helper.py") == ("/a/helper.py", "FILE", None, 22)
    assert described("/a/model") == ("/a/model", "NOTEBOOK", "R", None)
    assert described("/a/loose") == ("/a/loose", "NOTEBOOK", "PYTHON", None)
    assert described("/a/data.csv") == ("/a/data.csv", "FILE", None, 8)
    assert described("/a/raw.py")[1] == "NOTEBOOK"  # RAW keeps the bytes; the header decides
    assert described("/a/default") == ("/a/default", "NOTEBOOK", "PYTHON", None)
    workspace = server.home / "workspace"
    assert (workspace / "j" / "analysis.ipynb").is_file()
    assert (workspace / "a" / "loose.ipynb").is_file()
    assert (workspace / "a" / "model.r").is_file()
    assert (workspace / "a" / "default.py").read_text() == PY_HEADER + "print(2)\n"


def test_overwrite_replaces_the_notebook_whatever_its_format(
    server: RunningServer, api: httpx.Client
) -> None:
    assert import_(api, "/nb", "print(1)", language="PYTHON").status_code == 200
    again = import_(api, "/Workspace/nb", "print(2)", language="PYTHON")
    assert_error(again, 400, "RESOURCE_ALREADY_EXISTS", "/nb already exists")
    as_file = import_(api, "/nb", "plain", format="RAW")
    assert_error(as_file, 400, "RESOURCE_ALREADY_EXISTS", "/nb already exists")

    notebook = json.dumps({"cells": [], "metadata": {}})
    replaced = import_(api, "/nb", notebook, format="JUPYTER", overwrite="true")
    assert replaced.status_code == 200, replaced.text
    assert sorted(p.name for p in (server.home / "workspace").iterdir()) == ["nb.ipynb"]
    assert api.get(f"{BASE}/list", params={"path": "/"}).json()["objects"][0]["path"] == "/nb"


def test_import_refuses_bad_requests_naming_the_field(api: httpx.Client) -> None:
    bad_base64 = api.post(f"{BASE}/import", json={"path": "/x", "content": "%%%", "format": "AUTO"})
    assert_error(bad_base64, 400, "INVALID_PARAMETER_VALUE", "'content'")
    no_language = import_(api, "/x", "print(1)", format="SOURCE")
    assert_error(no_language, 400, "INVALID_PARAMETER_VALUE", "language")
    bad_language = import_(api, "/x", "print(1)", language="COBOL")
    assert_error(bad_language, 400, "INVALID_PARAMETER_VALUE", "'language'")
    for unsupported in ("HTML", "DBC", "R_MARKDOWN"):
        response = import_(api, "/x", "<html/>", format=unsupported)
        assert_error(response, 400, "INVALID_PARAMETER_VALUE", f"{unsupported} is not supported")
    assert_error(import_(api, "/x", "x", format="PDF"), 400, "INVALID_PARAMETER_VALUE", "'format'")
    not_jupyter = import_(api, "/x", "print(1)", format="JUPYTER")
    assert_error(not_jupyter, 400, "INVALID_PARAMETER_VALUE", "not a Jupyter notebook")
    escaping = import_(api, "/../outside", "x", format="AUTO")
    assert_error(escaping, 400, "INVALID_PARAMETER_VALUE", "outside the workspace root")
    relative = import_(api, "relative/x", "x", format="AUTO")
    assert_error(relative, 400, "INVALID_PARAMETER_VALUE", "must be absolute")
    no_content = api.post(f"{BASE}/import", json={"path": "/x", "format": "AUTO"})
    assert_error(no_content, 400, "INVALID_PARAMETER_VALUE", "content")
    no_path = api.post(f"{BASE}/import", json={"content": b64("x")})
    assert_error(no_path, 400, "INVALID_PARAMETER_VALUE", "path")


def test_import_creates_parents_but_never_through_a_file_or_over_a_folder(
    api: httpx.Client,
) -> None:
    assert import_(api, "/deep/er/still/nb", "1", language="PYTHON").status_code == 200
    assert status(api, "/deep/er/still")["object_type"] == "DIRECTORY"
    over_folder = import_(api, "/deep/er", "1", language="PYTHON", overwrite=True)
    assert_error(over_folder, 400, "RESOURCE_ALREADY_EXISTS", "it is a folder")
    through_notebook = import_(api, "/deep/er/still/nb/inner", "1", format="AUTO")
    assert_error(through_notebook, 400, "RESOURCE_ALREADY_EXISTS", "is a notebook")


def test_export_converts_between_source_and_jupyter(api: httpx.Client) -> None:
    source = (
        PY_HEADER + "x = 1\n\n# COMMAND ----------\n\n# MAGIC %md\n# MAGIC # Title\n"
        "\n# COMMAND ----------\n\n# MAGIC %sh\n# MAGIC echo hi\n"
    )
    assert import_(api, "/nb.py", source, format="AUTO").status_code == 200

    content, body = export(api, "/nb")
    assert content.decode() == source and body["file_type"] == "py"
    assert export(api, "/nb", format="AUTO") == (content, body)

    content, body = export(api, "/Workspace/nb", format="JUPYTER")
    assert body["file_type"] == "ipynb"
    document = json.loads(content)
    assert [(cell["cell_type"], "".join(cell["source"])) for cell in document["cells"]] == [
        ("code", "x = 1"),
        ("markdown", "# Title"),
        ("code", "%sh\necho hi"),
    ]
    assert document["metadata"]["application/vnd.databricks.v1+notebook"]["language"] == "python"

    assert import_(api, "/back", content, format="JUPYTER").status_code == 200
    round_trip, body = export(api, "/back", format="SOURCE")
    assert body["file_type"] == "py"
    assert round_trip.decode() == source
    assert export(api, "/back", format="AUTO")[0] == content
    assert export(api, "/back", format="JUPYTER")[0] == content


def test_export_of_files_folders_and_missing_paths(api: httpx.Client) -> None:
    assert import_(api, "/data/rows.csv", "a,b\n", format="AUTO").status_code == 200
    content, body = export(api, "/data/rows.csv")
    assert (content, body["file_type"]) == (b"a,b\n", "csv")
    raw = api.get(f"{BASE}/export", params={"path": "/data/rows.csv", "direct_download": "true"})
    assert raw.status_code == 200 and raw.content == b"a,b\n"
    assert raw.headers["content-type"] == "application/octet-stream"

    as_notebook = api.get(f"{BASE}/export", params={"path": "/data/rows.csv", "format": "JUPYTER"})
    assert_error(as_notebook, 400, "INVALID_PARAMETER_VALUE", "not a notebook")
    folder = api.get(f"{BASE}/export", params={"path": "/data"})
    assert_error(folder, 400, "INVALID_PARAMETER_VALUE", "is a folder")
    html = api.get(f"{BASE}/export", params={"path": "/data/rows.csv", "format": "HTML"})
    assert_error(html, 400, "INVALID_PARAMETER_VALUE", "HTML is not supported")
    missing = api.get(f"{BASE}/export", params={"path": "/nope"})
    assert_error(missing, 404, "RESOURCE_DOES_NOT_EXIST", "Path (/nope) doesn't exist.")
    no_path = api.get(f"{BASE}/export")
    assert_error(no_path, 400, "INVALID_PARAMETER_VALUE", "path")


def test_list_get_status_mkdirs_and_delete(api: httpx.Client) -> None:
    assert api.get(f"{BASE}/list", params={"path": "/"}).json() == {}
    root = status(api, "/")
    assert (root["path"], root["object_type"]) == ("/", "DIRECTORY")

    assert api.post(f"{BASE}/mkdirs", json={"path": "/Workspace/a/b"}).json() == {}
    assert api.post(f"{BASE}/mkdirs", json={"path": "/a/b"}).json() == {}
    assert api.get(f"{BASE}/list", params={"path": "/a/b"}).json() == {}
    assert import_(api, "/a/f.txt", "12345", format="AUTO").status_code == 200
    listing = api.get(f"{BASE}/list", params={"path": "/a"}).json()["objects"]
    assert [(o["path"], o["object_type"], o.get("size")) for o in listing] == [
        ("/a/b", "DIRECTORY", None),
        ("/a/f.txt", "FILE", 5),
    ]
    only = api.get(f"{BASE}/list", params={"path": "/a/f.txt"}).json()["objects"]
    assert [o["path"] for o in only] == ["/a/f.txt"]

    blocked = api.post(f"{BASE}/mkdirs", json={"path": "/a/f.txt/sub"})
    assert_error(blocked, 400, "RESOURCE_ALREADY_EXISTS", "'/a/f.txt' is a file")
    not_empty = api.post(f"{BASE}/delete", json={"path": "/a"})
    assert_error(not_empty, 400, "DIRECTORY_NOT_EMPTY", "not empty")
    assert api.post(f"{BASE}/delete", json={"path": "/a/f.txt"}).json() == {}
    assert api.post(f"{BASE}/delete", json={"path": "/a", "recursive": "true"}).json() == {}

    for response in (
        api.post(f"{BASE}/delete", json={"path": "/a"}),
        api.get(f"{BASE}/list", params={"path": "/a"}),
        api.get(f"{BASE}/get-status", params={"path": "/Workspace/a"}),
    ):
        assert response.status_code == 404, response.text
        assert response.json()["error_code"] == "RESOURCE_DOES_NOT_EXIST"
    assert "Path (/Workspace/a) doesn't exist." in response.json()["message"]
    root_delete = api.post(f"{BASE}/delete", json={"path": "/", "recursive": True})
    assert_error(root_delete, 400, "INVALID_PARAMETER_VALUE", "root cannot be deleted")


def test_an_imported_notebook_resolves_and_runs_as_a_task(
    server: RunningServer, api: httpx.Client
) -> None:
    source = "dbutils.notebook.exit(str(6 * 7))\n"
    assert import_(api, "/Workspace/ETL/answer", source, language="PYTHON").status_code == 200

    resolved = server.services.workspace.resolve_notebook("/Workspace/ETL/answer")
    assert resolved.file == server.home / "workspace" / "ETL" / "answer.py"
    assert resolved.workspace_path == "/ETL/answer"
    assert (resolved.language, resolved.format) == (NotebookLanguage.PYTHON, NotebookFormat.SOURCE)

    submitted = api.post(
        "/api/2.1/jobs/runs/submit",
        json={
            "run_name": "imported",
            "tasks": [
                {"task_key": "t", "notebook_task": {"notebook_path": "/Workspace/ETL/answer"}}
            ],
        },
    )
    assert submitted.status_code == 200, submitted.text
    run = wait_for_run(api, submitted.json()["run_id"])
    assert run["state"]["result_state"] == "SUCCESS", run["state"]
    output = api.get(
        "/api/2.1/jobs/runs/get-output", params={"run_id": run["tasks"][0]["run_id"]}
    ).json()
    assert output["notebook_output"]["result"] == "42"


def test_the_sdk_drives_every_endpoint(server: RunningServer) -> None:
    w = WorkspaceClient(host=server.url, token=server.token)
    w.workspace.mkdirs("/Shared/sdk")
    w.workspace.import_(
        "/Shared/sdk/nb",
        content=b64("print('hi')\n"),
        format=ImportFormat.SOURCE,
        language=Language.PYTHON,
    )
    with pytest.raises(sdk_errors.ResourceAlreadyExists):
        w.workspace.import_(
            "/Shared/sdk/nb",
            content=b64("x"),
            format=ImportFormat.SOURCE,
            language=Language.PYTHON,
        )
    info = w.workspace.get_status("/Shared/sdk/nb")
    assert (info.object_type, info.language, info.path) == (
        ObjectType.NOTEBOOK,
        Language.PYTHON,
        "/Shared/sdk/nb",
    )
    assert info.object_id is not None and info.modified_at is not None

    exported = w.workspace.export("/Shared/sdk/nb", format=ExportFormat.SOURCE)
    assert base64.b64decode(exported.content or "") == (PY_HEADER + "print('hi')\n").encode()
    assert exported.file_type == "py"

    payload = b"\x00binary\r\n--boundary-like\r\n\xff"
    w.workspace.upload("/Shared/sdk/blob.bin", io.BytesIO(payload), format=ImportFormat.AUTO)
    w.workspace.upload(
        "/Shared/sdk/up.py", io.BytesIO(PY_HEADER.encode() + b"1\n"), format=ImportFormat.AUTO
    )
    assert w.workspace.download("/Shared/sdk/blob.bin").read() == payload
    assert w.workspace.download("/Shared/sdk/up").read() == PY_HEADER.encode() + b"1\n"

    listed = {(o.path, o.object_type) for o in w.workspace.list("/Shared", recursive=True)}
    assert listed == {
        ("/Shared/sdk/nb", ObjectType.NOTEBOOK),
        ("/Shared/sdk/up", ObjectType.NOTEBOOK),
        ("/Shared/sdk/blob.bin", ObjectType.FILE),
    }

    w.workspace.delete("/Shared/sdk/nb")
    with pytest.raises(sdk_errors.ResourceDoesNotExist):
        w.workspace.get_status("/Shared/sdk/nb")
    with pytest.raises(sdk_errors.NotFound):
        w.workspace.export("/Shared/sdk/nb")
    with pytest.raises(sdk_errors.BadRequest) as not_empty:
        w.workspace.delete("/Shared")
    assert not_empty.value.error_code == "DIRECTORY_NOT_EMPTY"
    w.workspace.delete("/Shared", recursive=True)
    assert list(w.workspace.list("/")) == []
