"""Files for the workspace tests: notebooks in each format and a small project folder."""

from __future__ import annotations

import json
from pathlib import Path

PY_HEADER = "# Databricks notebook source\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def ipynb(language: str = "python") -> str:
    return json.dumps(
        {
            "cells": [],
            "metadata": {"kernelspec": {"language": language, "name": "x"}},
            "nbformat": 4,
            "nbformat_minor": 5,
        }
    )


def make_project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    write(project / "ETL" / "00_Validate.py", PY_HEADER + "print('validate')\n")
    write(project / "ETL" / "report.sql", "-- Databricks notebook source\nSELECT 1\n")
    write(project / "ETL" / "explore.ipynb", ipynb())
    write(project / "ETL" / "config.json", "{}\n")
    write(project / "lib" / "helpers.py", "X = 1\n")
    write(project / "ETL" / "__pycache__" / "junk.pyc", "")
    return project
