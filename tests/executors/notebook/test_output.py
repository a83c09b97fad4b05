"""Reading the executed notebook a notebook task attempt left in its folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from brickyard.errors import BrickyardError
from brickyard.executors.notebook import read_executed_notebook


def test_no_folder_or_no_file_is_none(tmp_path: Path) -> None:
    assert read_executed_notebook(None) is None
    assert read_executed_notebook(tmp_path) is None
    assert read_executed_notebook(tmp_path / "never-created") is None


def test_reads_the_notebook(tmp_path: Path) -> None:
    document = {"nbformat": 4, "metadata": {}, "cells": [{"cell_type": "markdown"}]}
    (tmp_path / "notebook.ipynb").write_text(json.dumps(document))

    assert read_executed_notebook(str(tmp_path)) == document


@pytest.mark.parametrize(
    ("text", "reason"),
    [("{not json", "is not valid JSON"), ('{"cells": 3}', "has no 'cells' list"), ("[]", "cells")],
)
def test_a_damaged_file_is_an_internal_error(tmp_path: Path, text: str, reason: str) -> None:
    (tmp_path / "notebook.ipynb").write_text(text)

    with pytest.raises(BrickyardError, match=reason) as caught:
        read_executed_notebook(tmp_path)
    assert caught.value.error_code == "INTERNAL_ERROR"
    assert str(tmp_path / "notebook.ipynb") in str(caught.value)
