#!/usr/bin/env bash
# Quick start of the Complex ETL example: build the reporting wheel that the send_report task
# installs, then run the whole job on brickyard.
#
#   examples/complex-etl/quickstart.sh                 # uses `python` and `brickyard` on PATH
#   PYTHON=.venv/bin/python BRICKYARD=.venv/bin/brickyard examples/complex-etl/quickstart.sh
#   examples/complex-etl/quickstart.sh --build-only    # only build the wheel
#
# Any other arguments are passed on to `brickyard run`.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
python="${PYTHON:-python}"
brickyard="${BRICKYARD:-brickyard}"
package="$here/wheels/reporting"

"$python" -m pip wheel --quiet --no-deps --wheel-dir "$package/dist" "$package"
# setuptools builds in the source tree; keep it clean.
rm -rf "$package/build" "$package/src/reporting.egg-info"
echo "built $package/dist/reporting-0.1.0-py3-none-any.whl" >&2

if [[ "${1:-}" == "--build-only" ]]; then
  exit 0
fi
exec "$brickyard" run "$here/job.json" "$@"
