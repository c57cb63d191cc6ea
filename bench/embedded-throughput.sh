#!/usr/bin/env bash
# Tokens/s of POST /api/v1/llm/generate versus java-llama.cpp called directly, same model and
# parameters (1 thread, greedy, ignore_eos), alternated round by round in one run.
# Uses the packaged service (./mvnw package first); builds nothing.
#   bench/embedded-throughput.sh [GGUF] [ROUNDS] [TOKENS]
set -euo pipefail
cd "$(dirname "$0")/.."
GGUF=$(realpath "${1:-src/test/resources/models/stories260K.gguf}")
ROUNDS=${2:-15}
TOKENS=${3:-400}
APP=${INFERCORE_APP:-target/quarkus-app}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
[ -f "$APP/quarkus-run.jar" ] || { echo "no packaged service at $APP; run ./mvnw package -DskipTests" >&2; exit 2; }
LLAMA_JAR=$(find "$APP/lib" -name "de.kherud.llama-*.jar" | head -n1)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
LOG=$(mktemp)
"$JAVA" -Dquarkus.http.port="$PORT" -Dinfercore.llamacpp.model_path="$GGUF" -Dinfercore.default_model_name=bench \
  -Dinfercore.models_dir="$(mktemp -d)" -Dinfercore.llamacpp.threads=1 -Dinfercore.llamacpp.parallel=1 \
  -Dinfercore.llamacpp.context_length=512 -Dquarkus.log.level=WARN -jar "$APP/quarkus-run.jar" >"$LOG" 2>&1 &
SVC=$!
trap 'kill $SVC 2>/dev/null; wait $SVC 2>/dev/null; rm -f "$LOG"' EXIT
for _ in $(seq 1 200); do
  curl -sf "http://127.0.0.1:$PORT/q/health/ready" >/dev/null && break
  kill -0 $SVC 2>/dev/null || { cat "$LOG" >&2; exit 1; }
  sleep 0.1
done
echo "machine: $(nproc) cores, $(uname -m), $("$JAVA" -version 2>&1 | head -n1)" >&2
"$JAVA" -Dde.kherud.llama.tmpdir="$(mktemp -d)" -cp "$LLAMA_JAR" bench/EmbeddedThroughput.java "$GGUF" "http://127.0.0.1:$PORT" "$ROUNDS" "$TOKENS"
