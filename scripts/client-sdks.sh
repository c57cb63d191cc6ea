#!/usr/bin/env bash
# Creates (once) a Python venv holding the official client SDKs that the client tests drive
# (src/test/clients/*.py), unmodified from PyPI, at pinned versions. The venv lives outside the
# clone, in ${INFERCORE_CACHE:-$HOME/.cache/infercore}/venv-clients, and is rebuilt only when the
# pins change. Prints the venv's python on the last line.
set -euo pipefail
ANTHROPIC_VERSION=2.17.0
OPENAI_VERSION=3.63.0
cache=${INFERCORE_CACHE:-$HOME/.cache/infercore}
venv="$cache/venv-clients"
stamp="$venv/.pins"
want="anthropic==$ANTHROPIC_VERSION openai==$OPENAI_VERSION"
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  mkdir -p "$cache"
  rm -rf "$venv"
  python3 -m venv "$venv" >&2
  # shellcheck disable=SC2086
  "$venv/bin/pip" install -q --disable-pip-version-check $want >&2
  echo "$want" > "$stamp"
fi
echo "$venv/bin/python"
