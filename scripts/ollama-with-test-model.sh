#!/usr/bin/env bash
# Start a real Ollama server (CPU) in the background and create a model in it
# from a local GGUF file, then exit 0 leaving the server running.
#
#   scripts/ollama-with-test-model.sh <port> <models_dir> <gguf> <model_name>
#
# - Binary: $OLLAMA_BIN if set, else built/cached by scripts/build-ollama.sh
#   (about 4-5 min the first time on a machine, instant afterwards).
# - Server: 127.0.0.1:<port>, OLLAMA_MODELS=<models_dir>; pid in
#   <models_dir>/ollama.pid, logs appended to <models_dir>/ollama.log.
#   Stop it with: kill "$(cat <models_dir>/ollama.pid)"   (SIGTERM also stops
#   its model runner child).
# - Model: created with `ollama create` from this Modelfile:
#     FROM <gguf>
#     PARAMETER num_ctx 512          ($OLLAMA_TEST_NUM_CTX; stories260K was
#                                     trained at 512, default would be 2048)
#     PARAMETER num_thread 1         ($OLLAMA_TEST_NUM_THREAD; ~1250 tok/s vs
#                                     ~350-700 with 2 threads for a tiny model)
#     TEMPLATE "{{ if .System }}{{ .System }}\n\n{{ end }}{{ .Prompt }}"
#   A GGUF without a chat template gets Ollama's default "{{ .Prompt }}", which
#   serves /api/chat too but silently drops system messages; this template
#   keeps them.
# - Waits at most $OLLAMA_START_TIMEOUT seconds (default 60) for HEAD / = 200.
# Prints the base URL (http://127.0.0.1:<port>) as the last line of stdout;
# progress goes to stderr. Exit 2 on bad usage, 1 on failure (server stopped).
set -euo pipefail

if [[ $# -ne 4 ]]; then
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" >&2
  exit 2
fi
port="$1" models_dir="$2" gguf="$3" name="$4"
[[ "$port" =~ ^[0-9]+$ ]] || { echo "bad port: $port" >&2; exit 2; }
[[ -f "$gguf" ]] || { echo "no such GGUF file: $gguf" >&2; exit 2; }

log() { printf '[ollama-test] %s\n' "$*" >&2; }

bin="${OLLAMA_BIN:-}"
if [[ -z "$bin" ]]; then
  bin="$("$(dirname "$0")/build-ollama.sh" | tail -n 1)"
fi
[[ -x "$bin" ]] || { log "ollama binary not executable: $bin"; exit 1; }

mkdir -p "$models_dir"
models_dir="$(cd "$models_dir" && pwd)"
gguf="$(cd "$(dirname "$gguf")" && pwd)/$(basename "$gguf")"
pidfile="$models_dir/ollama.pid" logfile="$models_dir/ollama.log"
base="http://127.0.0.1:$port"
export OLLAMA_HOST="127.0.0.1:$port" OLLAMA_MODELS="$models_dir"

# A server we started earlier for this models dir: stop it first.
if [[ -f "$pidfile" ]]; then
  old="$(cat "$pidfile")"
  if [[ "$old" =~ ^[0-9]+$ ]] && grep -qa ollama "/proc/$old/cmdline" 2>/dev/null; then
    log "stopping previous server pid $old"
    kill "$old" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$old" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$pidfile"
fi

if curl -s -o /dev/null -m 2 "$base/"; then
  log "port $port is already in use"
  exit 1
fi

log "starting $bin serve on $OLLAMA_HOST (models: $models_dir)"
setsid "$bin" serve </dev/null >>"$logfile" 2>&1 &
pid=$!
echo "$pid" >"$pidfile"

fail() {
  log "ERROR: $*"
  tail -n 20 "$logfile" >&2 || true
  kill "$pid" 2>/dev/null || true
  rm -f "$pidfile"
  exit 1
}

deadline=$((SECONDS + ${OLLAMA_START_TIMEOUT:-60}))
until [[ "$(curl -s -o /dev/null -I -m 2 -w '%{http_code}' "$base/" || true)" == 200 ]]; do
  kill -0 "$pid" 2>/dev/null || fail "server exited during start-up"
  ((SECONDS < deadline)) || fail "server not ready after ${OLLAMA_START_TIMEOUT:-60} s"
  sleep 0.1
done
log "server ready (pid $pid)"

modelfile="$models_dir/Modelfile.$name"
cat >"$modelfile" <<EOF
FROM $gguf
PARAMETER num_ctx ${OLLAMA_TEST_NUM_CTX:-512}
PARAMETER num_thread ${OLLAMA_TEST_NUM_THREAD:-1}
TEMPLATE """{{ if .System }}{{ .System }}

{{ end }}{{ .Prompt }}"""
EOF
"$bin" create "$name" -f "$modelfile" >>"$logfile" 2>&1 || fail "ollama create $name failed"
curl -sf -o /dev/null -m 10 "$base/api/show" -d "{\"model\":\"$name\"}" || fail "model $name not visible after create"
log "model $name created"
echo "$base"
