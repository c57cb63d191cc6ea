#!/usr/bin/env bash
# Build a real, CPU-only Ollama server binary from its Go module and cache it.
#
#   scripts/build-ollama.sh
#
# Prints the absolute path of the binary as the LAST line of stdout; every log
# line goes to stderr. If the binary is already cached it prints the path and
# exits at once. A cold build takes about 5 minutes on 2 cores (mostly cgo
# compiling the vendored llama.cpp/ggml C++ code); a rebuild with a warm Go
# build cache takes about 45 s.
#
# Cache: ${INFERCORE_CACHE:-$HOME/.cache/infercore}/ollama/<version>/ollama
#
# How it builds (per the module's docs/development.md, Linux, no GPU):
#   plain `go build .` with cgo, which compiles the ggml CPU backend and the
#   llama.cpp runner into the one binary (no cmake step: that only adds
#   optional GPU / per-CPU-variant libraries).
# The Go module zip leaves out every `vendor/` directory, so the header-only
# third-party libraries that llama.cpp keeps in llama/llama.cpp/vendor are
# missing from the module source. They are supplied from package registries:
#   nlohmann/json.hpp, json_fwd.hpp  <- Debian nlohmann-json3-dev
#   stb/stb_image.h                  <- Debian libstb-dev
#   miniaudio/miniaudio.h            <- the PyPI sdist of `miniaudio` (pyminiaudio),
#                                       which ships the upstream single header
set -euo pipefail

OLLAMA_VERSION="v0.17.4"
MINIAUDIO_PYPI_VERSION="1.71"   # ships miniaudio.h v0.11.25
MINIAUDIO_SDIST_SHA256="ff51e2887bb673e2e757752b586b3dc924d59aa5fbcae9bbc45f4a111bd3262b"
DEBIAN_PACKAGES=(gcc g++ nlohmann-json3-dev libstb-dev)

log() { printf '[build-ollama] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

cache_root="${INFERCORE_CACHE:-$HOME/.cache/infercore}"
dest="$cache_root/ollama/$OLLAMA_VERSION"
bin="$dest/ollama"

if [[ -x "$bin" ]]; then
  echo "$bin"
  exit 0
fi

mkdir -p "$cache_root/ollama"
exec 9>"$cache_root/ollama/.build-$OLLAMA_VERSION.lock"
flock 9
if [[ -x "$bin" ]]; then   # another run built it while we waited
  echo "$bin"
  exit 0
fi

start=$SECONDS

# --- Go ----------------------------------------------------------------------
if command -v go >/dev/null 2>&1; then
  GO="$(command -v go)"
elif [[ -x /usr/local/go/bin/go ]]; then
  GO=/usr/local/go/bin/go
else
  die "no Go toolchain found (expected go on PATH or /usr/local/go/bin/go)"
fi
log "using $("$GO" version)"

# --- Debian packages (only the missing ones) ---------------------------------
missing=()
for p in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  log "installing Debian packages: ${missing[*]}"
  SUDO=()
  [[ $(id -u) -eq 0 ]] || SUDO=(sudo)
  "${SUDO[@]}" apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# --- miniaudio.h from PyPI (cached, checksum-verified) ------------------------
dl="$cache_root/ollama/downloads"
sdist="$dl/miniaudio-$MINIAUDIO_PYPI_VERSION.tar.gz"
mkdir -p "$dl"
if ! echo "$MINIAUDIO_SDIST_SHA256  $sdist" | sha256sum -c --status 2>/dev/null; then
  log "downloading miniaudio==$MINIAUDIO_PYPI_VERSION sdist from PyPI (for miniaudio.h)"
  rm -f "$sdist"
  python3 -m pip download --quiet --no-deps --no-binary :all: \
    "miniaudio==$MINIAUDIO_PYPI_VERSION" -d "$dl" >&2
  echo "$MINIAUDIO_SDIST_SHA256  $sdist" | sha256sum -c --status \
    || die "checksum mismatch for $sdist"
fi

# --- Ollama source from the Go module proxy ----------------------------------
work="$(mktemp -d "$cache_root/ollama/.work-$OLLAMA_VERSION.XXXXXX")"
trap 'rm -rf "$work"' EXIT

log "go mod download github.com/ollama/ollama@$OLLAMA_VERSION"
if ! (cd "$work" && "$GO" mod download -json "github.com/ollama/ollama@$OLLAMA_VERSION") > "$work/mod.json"; then
  cat "$work/mod.json" >&2
  die "go mod download failed"
fi
moddir="$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' "$work/mod.json")"
[[ -n "$moddir" && -f "$moddir/go.mod" ]] || { cat "$work/mod.json" >&2; die "go mod download gave no source dir"; }
log "module source: $moddir"

# The module cache is read-only: build from a writable copy.
cp -r "$moddir" "$work/src"
chmod -R u+w "$work/src"

vendor="$work/src/llama/llama.cpp/vendor"
mkdir -p "$vendor/miniaudio"
tar -xzf "$sdist" -O "miniaudio-$MINIAUDIO_PYPI_VERSION/miniaudio/miniaudio.h" > "$vendor/miniaudio/miniaudio.h"
[[ -s "$vendor/miniaudio/miniaudio.h" ]] || die "miniaudio.h not found in $sdist"
for h in /usr/include/nlohmann/json.hpp /usr/include/nlohmann/json_fwd.hpp /usr/include/stb/stb_image.h; do
  [[ -f "$h" ]] || die "missing header $h"
done

# --- Build -------------------------------------------------------------------
log "go build (cgo, CPU only); this takes minutes on a cold Go build cache"
ldflags="-s -w -X=github.com/ollama/ollama/version.Version=${OLLAMA_VERSION#v} -X=github.com/ollama/ollama/server.mode=release"
(cd "$work/src" && CGO_ENABLED=1 "$GO" build -trimpath -ldflags "$ldflags" -o "$work/ollama" .) >&2

"$work/ollama" --help >/dev/null 2>&1 || die "built binary does not run"

mkdir -p "$dest"
cp "$work/ollama" "$dest/.ollama.tmp"
{
  echo "ollama $OLLAMA_VERSION (github.com/ollama/ollama Go module), CPU only"
  echo "built $(date -u +%Y-%m-%dT%H:%M:%SZ) with $("$GO" version) in $((SECONDS - start)) s"
  echo "miniaudio.h from PyPI miniaudio==$MINIAUDIO_PYPI_VERSION; nlohmann/stb from Debian"
} > "$dest/BUILD-INFO"
mv -f "$dest/.ollama.tmp" "$bin"
log "built in $((SECONDS - start)) s"
echo "$bin"
