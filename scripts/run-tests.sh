#!/usr/bin/env bash
# Runs the test suite in the project's venv. pytest exits 5 when it collects no tests: that is a failure here.
set -euo pipefail
cd "$(dirname "$0")/.."
export HF_HUB_OFFLINE=1 TOKENIZERS_PARALLELISM=false
status=0
.venv/bin/python -m pytest "$@" || status=$?
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: failing, because a run that tests nothing proves nothing." >&2
  exit 1
fi
exit "$status"
