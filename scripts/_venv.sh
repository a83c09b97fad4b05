# Shared by scripts/demo and scripts/check: make .venv (Python >= 3.11) and install brickyard.
# Usage: . scripts/_venv.sh [extras]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv"
pick_python() {
  for candidate in "${PYTHON:-}" python3.13 python3.12 python3.11 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  echo "brickyard needs Python 3.11 or newer (set PYTHON=/path/to/python3.11)" >&2
  return 1
}
if [ ! -x "$venv/bin/python" ]; then
  python="$(pick_python)"
  echo "==> creating $venv with $python"
  "$python" -m venv "$venv"
fi
extras="${1:-}"
stamp="$venv/.brickyard-installed${extras:+-$extras}"
if [ ! -f "$stamp" ] || [ "$root/pyproject.toml" -nt "$stamp" ]; then
  echo "==> installing brickyard${extras:+[$extras]} into $venv"
  "$venv/bin/python" -m pip install --quiet --upgrade pip
  "$venv/bin/python" -m pip install --quiet -e "$root${extras:+[$extras]}"
  touch "$stamp"
fi
export PATH="$venv/bin:$PATH"
