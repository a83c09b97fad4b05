from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from brickyard import secret_store
from brickyard.errors import NotFoundError
from brickyard.runtime import get_dbutils
from brickyard.runtime.exceptions import NotebookRunError


def test_get_dbutils_outside_a_job(tmp_path: Path) -> None:
    secret_store.put_secret(tmp_path / "secrets.json", "s", "k", "v")
    dbutils = get_dbutils(tmp_path)
    dbutils.widgets.text("w", "default")
    assert dbutils.widgets.get("w") == "default"
    assert dbutils.jobs.taskValues.get("t", "k", debugValue=3) == 3
    assert dbutils.secrets.get("s", "k") == "v"
    dbutils.fs.put("/x.txt", "hi")
    assert (tmp_path / "dbfs" / "x.txt").read_text() == "hi"
    with pytest.raises(NotebookRunError, match="needs the brickyard engine"):
        dbutils.notebook.run("./x", 0)
    with pytest.raises(NotFoundError):
        dbutils.secrets.get("s", "missing")
    assert "widgets" in repr(dbutils)
    dbutils.library.restartPython()


def test_task_main_imports_no_heavy_modules() -> None:
    code = (
        "import sys, brickyard.runtime.task_main\n"
        "heavy = {'nbformat', 'nbclient', 'pandas', 'jupyter_client', 'zmq', 'pydantic',"
        " 'sqlalchemy', 'IPython', 'brickyard.spec', 'brickyard.storage'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
