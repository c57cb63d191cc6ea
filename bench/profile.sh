#!/usr/bin/env bash
# Where the service's CPU goes on the non-streamed path at saturation (docs/BENCHMARKS.md, "Profile
# of the non-streamed path"): the packaged service in front of the fast fake backend
# (bench/FastBackend.java), driven at saturation by bench/LoadClient.java, recorded with the JDK's
# own Flight Recorder (execution samples every 2 ms, allocation samples, GC), then summarised by
# bench/profile-summary.py: CPU share per layer (I/O, HTTP framework, JSON, context propagation,
# metrics, infercore's own code), the hottest leaf methods and the top allocation sites.
#
#   bench/profile.sh [v1|api] [SECONDS] [--jar PATH/quarkus-run.jar] [--keep DIR]
#
# v1: POST /v1/chat/completions (default); api: POST /api/v1/llm/chat. SECONDS of recording (30)
# after 25 s of warm-up at the same load. Extra JVM options for the service: PROFILE_OPTS.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUTE=v1; SECS=30; JAR=target/quarkus-app/quarkus-run.jar; KEEP=""
while [ $# -gt 0 ]; do
  case "$1" in
    v1|api) ROUTE=$1 ;;
    --jar) JAR=$2; shift ;;
    --keep) KEEP=$2; shift ;;
    -h|--help) sed -n 2,12p "$0"; exit 0 ;;
    [0-9]*) SECS=$1 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done
[ -f "$JAR" ] || { echo "no packaged service at $JAR; run ./mvnw -B package -DskipTests (or pass --jar)" >&2; exit 2; }
if [ -z "${JAVA_HOME:-}" ] && [ -f scripts/java-env.sh ]; then . scripts/java-env.sh >/dev/null; fi
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
JAVAC=${JAVA_HOME:+$JAVA_HOME/bin/}javac
JFR=${JAVA_HOME:+$JAVA_HOME/bin/}jfr
WORK=$(mktemp -d /tmp/infercore-profile.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ -n "$KEEP" ]; then mkdir -p "$KEEP" && cp -r "$WORK"/. "$KEEP"/; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
. bench/lib.sh

APP=$(dirname "$JAR")
"$JAVAC" -nowarn -d "$WORK/classes" -cp "$APP/lib/main/*" bench/FastBackend.java bench/LoadClient.java
CP="$WORK/classes:$APP/lib/main/*"
cat >"$WORK/settings.jfc" <<'JFC'
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0">
  <event name="jdk.ExecutionSample"><setting name="enabled">true</setting><setting name="period">2 ms</setting></event>
  <event name="jdk.ObjectAllocationSample"><setting name="enabled">true</setting><setting name="throttle">300/s</setting><setting name="stackTrace">true</setting></event>
  <event name="jdk.GarbageCollection"><setting name="enabled">true</setting><setting name="threshold">0 ms</setting></event>
</configuration>
JFC
BPORT=$(free_port); SPORT=$(free_port); WARM=25
"$JAVA" -cp "$CP" FastBackend "$BPORT" bench-model 500 10 >"$WORK/backend.log" 2>&1 &
BPID=$!; PIDS+=("$BPID")
# shellcheck disable=SC2086 # PROFILE_OPTS is a list of options
"$JAVA" -Dquarkus.log.level=WARN -Dinfercore.models_dir="$WORK/models" ${PROFILE_OPTS:-} \
  -XX:FlightRecorderOptions=stackdepth=256 \
  -XX:StartFlightRecording=filename="$WORK/service.jfr",settings="$WORK/settings.jfc",delay="${WARM}s",duration="${SECS}s" \
  -Dquarkus.http.port="$SPORT" -Dinfercore.vllm.base_url="http://127.0.0.1:$BPORT" -Dinfercore.embedded.enabled=false \
  -jar "$JAR" >"$WORK/service.log" 2>&1 &
SPID=$!; PIDS+=("$SPID")
wait_http "http://127.0.0.1:$BPORT/health" "$BPID" 60
wait_http "http://127.0.0.1:$SPORT/q/health/ready" "$SPID" 60
MSG='"messages":[{"role":"user","content":"Say hello"}],"max_tokens":8'
if [ "$ROUTE" = api ]; then
  URL="http://127.0.0.1:$SPORT/api/v1/llm/chat"; BODY="{\"engine_type\":\"vllm\",\"model_name\":\"bench-model\",$MSG}"
else
  URL="http://127.0.0.1:$SPORT/v1/chat/completions"; BODY="{\"model\":\"bench-model\",$MSG}"
fi
echo "saturation on $URL: ${WARM}s of warm-up, then ${SECS}s recorded" >&2
"$JAVA" -Xms256m -cp "$CP" -Dwarmup.seconds=2 LoadClient sat "$URL" "$BODY" $((WARM + SECS + 3)) 64 >"$WORK/load.json"
for _ in $(seq 1 100); do [ -s "$WORK/service.jfr" ] && break; sleep 0.2; done
"$JFR" print --json --events jdk.ExecutionSample "$WORK/service.jfr" >"$WORK/cpu.json"
"$JFR" print --json --events jdk.ObjectAllocationSample "$WORK/service.jfr" >"$WORK/alloc.json"
"$JFR" print --json --events jdk.GarbageCollection "$WORK/service.jfr" >"$WORK/gc.json"
echo "load: $(cat "$WORK/load.json")"
python3 bench/profile-summary.py "$WORK/cpu.json" "$WORK/alloc.json" "$WORK/gc.json" "$SECS"
