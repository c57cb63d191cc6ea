#!/usr/bin/env bash
# The official client libraries the tests drive against a running infercore, unmodified, from
# PyPI at pinned versions, in one venv cached outside the clone:
#   ${INFERCORE_CACHE:-$HOME/.cache/infercore}/venv-clients
# Installs only when the pinned list changed; prints the venv's python as its last line.
# Used by the tests under src/test/clients/ (through io.infercore.support.ClientScripts) and by .ci/run.
set -euo pipefail

PINNED=(
  "anthropic==2.17.0"
  "openai==3.63.0"
  "ollama==0.6.3"
  "cohere==7.3.1"
)

cache=${INFERCORE_CACHE:-$HOME/.cache/infercore}
venv=$cache/venv-clients
stamp=$venv/.pinned
want=$(printf '%s\n' "${PINNED[@]}")

if [ ! -x "$venv/bin/python" ]; then
  mkdir -p "$cache"
  python3 -m venv "$venv" >&2 || { echo "python3 -m venv failed (apt-get install python3-venv)" >&2; exit 1; }
fi
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  "$venv/bin/python" -m pip install -q --disable-pip-version-check "${PINNED[@]}" >&2
  printf '%s\n' "$want" >"$stamp"
fi
echo "$venv/bin/python"
