#!/usr/bin/env bash
# crabllm, the compiled OpenAI-compatible gateway peer of bench/run.sh (docs/BENCHMARKS.md says
# why this one and not Bifrost), built from crates.io with cargo at a pinned version and the
# Cargo.lock it ships (--locked: every dependency at the version and checksum of that lock),
# cached under ${INFERCORE_CACHE:-$HOME/.cache/infercore}/crabllm-VERSION. The first build takes
# several minutes on 2 cores; later runs reuse the binary. Prints "BINARY VERSION" as its last line.
set -euo pipefail

VERSION=0.0.18
# sha256 of crabllm-0.0.18.crate as crates.io serves it (cargo also checks it against the index)
CRATE_SHA256=6cfcd9b42038121123bf370512bbfc54fde677713bf6571457cfc714d2b02c78

cache=${INFERCORE_CACHE:-$HOME/.cache/infercore}
root=$cache/crabllm-$VERSION
bin=$root/bin/crabllm
if [ ! -x "$bin" ]; then
  command -v cargo >/dev/null || { echo "crabllm: cargo not found (rustup's stable toolchain)" >&2; exit 1; }
  pkg-config --exists openssl 2>/dev/null || { echo "crabllm: needs pkg-config and libssl-dev" >&2; exit 1; }
  echo "building crabllm $VERSION with cargo (once; cached in $root)" >&2
  mkdir -p "$cache"
  target=$cache/cargo-target-crabllm
  cargo install crabllm --version "$VERSION" --locked --root "$root" --target-dir "$target" >&2
  crate=$(find "${CARGO_HOME:-$HOME/.cargo}/registry/cache" -name "crabllm-$VERSION.crate" | head -n1)
  got=$(sha256sum "$crate" | cut -d' ' -f1)
  if [ "$got" != "$CRATE_SHA256" ]; then
    echo "crabllm: $crate has sha256 $got, expected $CRATE_SHA256: binary removed" >&2
    rm -rf "$root"
    exit 1
  fi
  rm -rf "$target"
fi
echo "$bin $VERSION"
