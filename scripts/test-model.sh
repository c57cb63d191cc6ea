#!/usr/bin/env bash
# Puts the test fixture model (stories260K, 1.2 MB, MIT; provenance in
# src/test/resources/models/README.md) at src/test/resources/models/stories260K.gguf, checked by
# sha256. Model files are kept out of git history, so a clone does not carry it: it is copied from
# $INFERCORE_TEST_MODEL, else from the workplace's shared models directory beside the clone.
#   scripts/test-model.sh [TARGET_REPO_DIR]   (default: this repository)
set -euo pipefail
cd "$(dirname "$0")/.."
SHA=270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d
dest="${1:-.}/src/test/resources/models/stories260K.gguf"
ok() { [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$SHA" ]; }
ok "$dest" && { echo "$dest"; exit 0; }
for src in "${INFERCORE_TEST_MODEL:-}" "$(pwd)/../shared/models/stories260K.gguf"; do
  if [ -n "$src" ] && ok "$src"; then cp "$src" "$dest"; echo "$dest"; exit 0; fi
done
echo "test-model.sh: stories260K.gguf (sha256 $SHA) not found; set INFERCORE_TEST_MODEL to it" >&2
exit 1
