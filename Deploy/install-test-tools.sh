#!/usr/bin/env bash
# What only the tests need: headless Chromium, its driver and Japanese fonts (Debian's packages),
# and the Python test tools in a venv of the project's own (.venv): schemathesis, pinned.
set -euo pipefail
cd "$(dirname "$0")/.."
Deploy/install-deps.sh chromium chromium-driver fonts-noto-cjk python3-venv
want="schemathesis==4.32.5"
installed=$(.venv/bin/pip show schemathesis 2>/dev/null || true)
if [ -x .venv/bin/schemathesis ] && grep -qx "Version: ${want#*==}" <<<"$installed"; then
  exit 0
fi
echo "installing $want into .venv"
python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check "$want"
