#!/usr/bin/env bash
# Run a real llama.cpp OpenAI-compatible HTTP server (llama.cpp's own C++ server,
# via the prebuilt CPU wheel of the PyPI package xllamacpp) in the foreground.
#
#   scripts/llamacpp-openai-server.sh <gguf> <port> <served_name> [extra args]
#
# Extra args (all optional):
#   -c, --ctx-size N     context size (default 2048; use <= 512 for stories260K)
#   -t, --threads N      CPU threads (default 1: on a busy 2-core box 2 threads is 3-50x slower)
#   -np, --parallel N    parallel slots (default 1)
#   -n, --n-predict N    default max tokens when a request gives none
#   --embeddings         also enable /v1/embeddings (chat/completions keep working)
#   --pooling none|mean|cls|last|rank   (use mean or last with --embeddings; "none"
#                        makes /v1/embeddings answer 400 "not OAI compatible")
#   --api-key KEY        require "Authorization: Bearer KEY"
#   --chat-template T    built-in template name (e.g. chatml) or Jinja text
#   --host H             bind address (default 127.0.0.1)
#   --set name=value     set any other xllamacpp CommonParams field (int/float/bool/str)
#
# Installs the pinned package into ${INFERCORE_CACHE:-$HOME/.cache/infercore}/venv-llamacpp
# on first use (about 5 s cold, from a prebuilt wheel; nothing compiles). Prints
# "READY http://host:port" on stdout once the model is loaded; logs go to stderr.
# Stop it with SIGTERM/SIGINT. Exit 2 on bad usage, 3 if the server cannot start.
set -euo pipefail

XLLAMACPP_VERSION="2026.10.11549"

if [[ $# -lt 3 ]]; then
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" >&2
  exit 2
fi

cache="${INFERCORE_CACHE:-$HOME/.cache/infercore}"
venv="$cache/venv-llamacpp"
marker="$venv/.installed-xllamacpp-$XLLAMACPP_VERSION"

if [[ ! -f "$marker" ]]; then
  mkdir -p "$cache"
  exec 9>"$cache/venv-llamacpp.lock"
  flock 9
  if [[ ! -f "$marker" ]]; then
    echo "installing xllamacpp==$XLLAMACPP_VERSION into $venv" >&2
    [[ -x "$venv/bin/python" ]] || python3 -m venv "$venv" >&2
    "$venv/bin/python" -m pip install -q --disable-pip-version-check \
      "xllamacpp==$XLLAMACPP_VERSION" >&2
    touch "$marker"
  fi
  flock -u 9
  exec 9>&-
fi

read -r -d '' launcher <<'PY' || true
import argparse, os, signal, sys, time
import xllamacpp as xlc

ap = argparse.ArgumentParser(prog="llamacpp-openai-server.sh")
ap.add_argument("gguf")
ap.add_argument("port", type=int)
ap.add_argument("served_name")
ap.add_argument("-c", "--ctx-size", type=int, default=2048)
ap.add_argument("-t", "--threads", type=int, default=1)
ap.add_argument("-np", "--parallel", type=int, default=1)
ap.add_argument("-n", "--n-predict", type=int)
ap.add_argument("--embeddings", action="store_true")
ap.add_argument("--pooling", choices=["none", "mean", "cls", "last", "rank"])
ap.add_argument("--api-key")
ap.add_argument("--chat-template")
ap.add_argument("--host", default="127.0.0.1")
ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
a = ap.parse_args()
if not os.path.isfile(a.gguf):
    ap.error(f"no such GGUF file: {a.gguf}")

p = xlc.CommonParams()
p.model.path = a.gguf
p.hostnames = [a.host]
p.port = a.port
p.model_alias = {a.served_name}
p.n_ctx = a.ctx_size
p.n_parallel = a.parallel
p.cpuparams.n_threads = a.threads
p.cpuparams_batch.n_threads = a.threads
if a.n_predict is not None:
    p.n_predict = a.n_predict
if a.embeddings:
    p.embedding = True
if a.pooling:
    p.pooling_type = getattr(xlc.llama_pooling_type, "LLAMA_POOLING_TYPE_" + a.pooling.upper())
if a.api_key:
    p.api_keys = [a.api_key]
if a.chat_template:
    p.chat_template = a.chat_template
for kv in a.set:
    name, _, raw = kv.partition("=")
    cur = getattr(p, name)
    if isinstance(cur, bool):
        val = raw.lower() in ("1", "true", "yes", "on")
    elif isinstance(cur, (int, float, str)):
        val = type(cur)(raw)
    else:
        ap.error(f"--set {name}: unsupported type {type(cur).__name__}")
    setattr(p, name, val)

signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
signal.signal(signal.SIGINT, lambda *_: os._exit(0))
t0 = time.monotonic()
try:
    server = xlc.Server(p)
except Exception as e:
    print(f"server failed to start: {e}", file=sys.stderr, flush=True)
    os._exit(3)
print(f"loaded {a.gguf} as '{a.served_name}' in {time.monotonic() - t0:.2f}s", file=sys.stderr, flush=True)
print(f"READY {server.listening_address}", flush=True)
while True:
    time.sleep(3600)
PY

exec "$venv/bin/python" -u -c "$launcher" "$@"
