#!/usr/bin/env bash
# The LiteLLM proxy, the Python peer of bench/run.sh, from PyPI in pip's hash-checking mode:
# bench/peers/litellm-requirements.txt pins litellm[proxy] and every package it pulls in, each
# with its sha256 (docs/BENCHMARKS.md says why this version). Installed once into
#   ${INFERCORE_CACHE:-$HOME/.cache/infercore}/venv-litellm
# and again only when that file changes. The hashes are of the wheels for CPython 3.11 on
# x86-64 Linux (this workplace's python3). Prints "LITELLM_EXECUTABLE VERSION" as its last line.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
req=$here/litellm-requirements.txt
version=$(sed -n 's/^litellm==\([^ ]*\).*/\1/p' "$req")

cache=${INFERCORE_CACHE:-$HOME/.cache/infercore}
venv=$cache/venv-litellm
stamp=$venv/.requirements-sha256
want=$(sha256sum "$req" | cut -d' ' -f1)
if [ ! -x "$venv/bin/litellm" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  py=$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  [ "$py" = 3.11 ] || { echo "litellm: the pinned hashes are for CPython 3.11 wheels; python3 is $py" >&2; exit 1; }
  echo "installing litellm[proxy]==$version into $venv (once)" >&2
  rm -rf "$venv"
  mkdir -p "$cache"
  python3 -m venv "$venv" >&2 || { echo "python3 -m venv failed (apt-get install python3-venv)" >&2; exit 1; }
  "$venv/bin/python" -m pip install -q --disable-pip-version-check --no-deps --require-hashes -r "$req" >&2
  printf '%s\n' "$want" >"$stamp"
fi
echo "$venv/bin/litellm $version"
