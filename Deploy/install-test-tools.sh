#!/usr/bin/env bash
# The Python test tools in a venv of the project's own (.venv): schemathesis, pinned.
set -euo pipefail
cd "$(dirname "$0")/.."
want="schemathesis==4.32.5"
if [ -x .venv/bin/schemathesis ] && .venv/bin/pip show schemathesis 2>/dev/null | grep -q "^Version: ${want#*==}$"; then
  exit 0
fi
echo "installing $want into .venv"
python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check "$want"
