#!/usr/bin/env bash
# Writes a class-data sharing archive (AppCDS, JDK 17+) for the packaged service: the JVM maps the
# classes it records instead of loading and verifying them again, which shortens start-up and
# lowers idle memory (docs/BENCHMARKS.md, "Start-up"). The archive is made by a training run of
# the service itself: started with -XX:ArchiveClassesAtExit in a scratch directory (its own empty
# models directory, so no state of a real installation is read or written, embedded engine off),
# a few requests on the main routes, then a normal stop, at which the JVM writes the archive.
#
#   scripts/cds-archive.sh [JAR] [ARCHIVE]
#     JAR      default target/quarkus-app/quarkus-run.jar
#     ARCHIVE  default infercore.jsa beside the jar
#
# Use it with: java -XX:SharedArchiveFile=ARCHIVE -jar JAR ... (scripts/serve.sh does). An
# archive only fits the JVM build and the jar it was made with; a mismatched one is ignored with a
# warning and the service starts as without it. Exit 0 with the archive written, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${JAVA_HOME:-}" ] && [ -f scripts/java-env.sh ]; then . scripts/java-env.sh >/dev/null; fi
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
jar=$(realpath "${1:-target/quarkus-app/quarkus-run.jar}")
archive=$(realpath -m "${2:-$(dirname "$jar")/infercore.jsa}")
[ -f "$jar" ] || { echo "cds-archive: no packaged service at $jar" >&2; exit 1; }

scratch=$(mktemp -d /tmp/infercore-cds.XXXXXX)
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill -9 "$pid" 2>/dev/null || true; fi
  rm -rf "$scratch"
}
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
rm -f "$archive.tmp"
(cd "$scratch" && exec "$JAVA" -XX:ArchiveClassesAtExit="$archive.tmp" -Xlog:cds=off -Xlog:cds+dynamic=off \
  -Dquarkus.log.level=WARN -Dquarkus.http.port="$port" -Dinfercore.models_dir="$scratch/models" \
  -Dinfercore.embedded.enabled=false -jar "$jar" >"$scratch/service.log" 2>&1) &
pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 600); do
  curl -sf -o /dev/null "$base/q/health/ready" && break
  kill -0 "$pid" 2>/dev/null || { echo "cds-archive: the training run exited:" >&2; tail -n 20 "$scratch/service.log" >&2; exit 1; }
  sleep 0.1
done
# The routes a platform calls first: their classes are in the archive too. Answers do not matter
# (no engine is configured: 4xx/5xx replies load the error path, which is wanted as well).
for path in /health /q/health/live /q/health/ready /api/v1/models /api/v1/models/running /v1/models /q/metrics; do
  curl -s -o /dev/null "$base$path" || true
done
chat='{"model":"m","messages":[{"role":"user","content":"hi"}],"max_tokens":1}'
curl -s -o /dev/null -H 'Content-Type: application/json' -d "$chat" "$base/v1/chat/completions" || true
curl -s -o /dev/null -H 'Content-Type: application/json' -d '{"engine_type":"vllm","model_name":"m","prompt":"hi"}' \
  "$base/api/v1/llm/generate" || true
kill -TERM "$pid"
wait "$pid" || true
pid=""
if [ -s "$archive.tmp" ]; then
  mv -f "$archive.tmp" "$archive"
  echo "cds-archive: wrote $archive ($(du -h "$archive" | cut -f1))" >&2
else
  echo "cds-archive: the JVM wrote no archive (see -XX:ArchiveClassesAtExit)" >&2
  exit 1
fi
