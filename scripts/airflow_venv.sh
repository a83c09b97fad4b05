#!/usr/bin/env bash
# Build .venv-airflow: Airflow 3 with its Databricks provider, for the test of the provider's
# deferrable (async) hook (tests/api/test_get_body.py). Its own environment: Airflow caps
# FastAPI below the version brickyard uses, so it cannot share .venv.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv-airflow"
stamp="$venv/.airflow-installed"
[ -f "$stamp" ] && exit 0
python="${PYTHON:-python3}"
echo "==> creating $venv (Airflow 3 and apache-airflow-providers-databricks)"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet "apache-airflow>=3,<4" "apache-airflow-providers-databricks"
touch "$stamp"
