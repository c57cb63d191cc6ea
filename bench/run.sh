#!/usr/bin/env bash
# The benchmark harness (docs/BENCHMARKS.md): infercore against nginx, a direct backend and the
# gateways a user would pick instead (peers: the LiteLLM proxy, crabllm), the embedded engine
# against java-llama.cpp, start-up, idle RSS and launch overhead, in one run; start-up and idle RSS
# also of the native executable when there is one, which then also gets the load rows of the JVM. Does not build infercore: uses the packaged
# service (./mvnw -B package -DskipTests first) and the native executable as it finds it
# (./native-build.sh; without one the native rows say "not built"); installs or builds
# the peers on first use (bench/peers/*.sh, cached). Starts every process it needs on 127.0.0.1,
# stops them all on exit, prints a table and, as its last line, one JSON object with every figure.
#
#   bench/run.sh [--quick] [--peers all|none|litellm,crabllm] [--jar PATH/quarkus-run.jar]
#                [--native PATH/infercore-*-runner] [--gguf MODEL.gguf] [--keep DIR]
#
# INFERCORE_JAR, INFERCORE_NATIVE and BENCH_GGUF set the same as --jar, --native and --gguf;
# --native defaults to the first *-runner in the directory holding the jar's quarkus-app (a path
# that is not an executable: the rows say not built). --quick: shorter runs (3 minutes, about 5
# with the peers on a quiet machine), same scenarios. --peers none: nginx and direct only, as
# before the peers (BENCH_PEERS sets the same). --keep DIR: keep the raw results and logs.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

QUICK=0
JAR=${INFERCORE_JAR:-target/quarkus-app/quarkus-run.jar}
NATIVE=${INFERCORE_NATIVE:-}
GGUF=${BENCH_GGUF:-src/test/resources/models/stories260K.gguf}
KEEP=""
PEERS=${BENCH_PEERS:-all}
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --jar) JAR=$2; shift ;;
    --gguf) GGUF=$2; shift ;;
    --keep) KEEP=$2; shift ;;
    --peers) PEERS=$2; shift ;;
    --native) NATIVE=$2; shift ;;
    -h|--help) sed -n 2,18p "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done

if [ "$QUICK" = 1 ]; then
  SECS=3; WARM=1; JIT_WARM=8; SAT_CONNS=32; EMB_ROUNDS=3; EMB_TOKENS=200; STARTS=1; LAUNCHES=2; IDLE=3
  DRAIN_S=15; SSE_TIMEOUT_S=45
else
  SECS=15; WARM=3; JIT_WARM=20; SAT_CONNS=64; EMB_ROUNDS=9; EMB_TOKENS=400; STARTS=3; LAUNCHES=5; IDLE=10
  DRAIN_S=30; SSE_TIMEOUT_S=120
fi
# A target that cannot keep up is cut off, not waited for: answers still missing DRAIN_S after a
# fixed-rate run's last request was due, and streams still open after SSE_TIMEOUT_S (a stream
# lasts 5 s at nominal speed), count as errors; the row shows them and the achieved rate.
case "$PEERS" in
  all) PEERS="litellm crabllm" ;;
  none) PEERS="" ;;
  *) PEERS=${PEERS//,/ } ;;
esac
for p in $PEERS; do
  [ -f "bench/peers/$p.sh" ] || { echo "unknown peer: $p (all, none, or a list of: litellm crabllm)" >&2; exit 2; }
done
RATES="500 2000"
STREAMS=100; STREAM_TOKENS=500; TOKEN_MS=${BENCH_TOKEN_MS:-10}
LOAD_DELAY=1.0   # the fake vLLM's load time in the launch-overhead scenario, seconds
MODEL=bench-model

# ---- prerequisites: a JDK 17+, curl, python3 (fake vLLM), nginx ----
if [ -z "${JAVA_HOME:-}" ] && [ -f scripts/java-env.sh ]; then source scripts/java-env.sh; fi
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
JAVAC=${JAVA_HOME:+$JAVA_HOME/bin/}javac
need_apt=()
command -v curl >/dev/null || need_apt+=(curl)
command -v python3 >/dev/null || need_apt+=(python3)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need_apt+=(nginx-light)
command -v "$JAVAC" >/dev/null || need_apt+=(openjdk-17-jdk-headless)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing ${need_apt[*]} (apt-get)" >&2
  (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need_apt[@]}") >&2
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -f "$JAR" ] || { echo "no packaged service at $JAR; run ./mvnw -B package -DskipTests (or pass --jar)" >&2; exit 2; }
APP=$(cd "$(dirname "$JAR")" && pwd)
JAR="$APP/$(basename "$JAR")"
# the native executable: as given, else the first target/*-runner beside the jar's quarkus-app
if [ -z "$NATIVE" ]; then NATIVE=$(ls "$(dirname "$APP")"/*-runner 2>/dev/null | head -n1 || true); fi
if [ -n "$NATIVE" ] && [ ! -x "$NATIVE" ]; then
  echo "no native executable at $NATIVE: the native rows say not built" >&2; NATIVE=""
fi
[ -z "$NATIVE" ] || NATIVE=$(realpath "$NATIVE")

# ---- the peers: installed or built on first use, cached; one that cannot be had gets null rows ----
declare -A PEER_BIN PEER_VERSION
for p in $PEERS; do
  if out=$(bash "bench/peers/$p.sh" | tail -n1) && [ -n "$out" ]; then
    PEER_BIN[$p]=${out% *}; PEER_VERSION[$p]=${out##* }
  else
    echo "peer $p not available (see above): its rows stay empty" >&2
  fi
done

# ---- everything started is stopped on exit ----
WORK=$(mktemp -d /tmp/infercore-bench.XXXXXX)
PIDS=()
GROUPS_STARTED=()   # process groups started with setsid (a peer with worker processes)
cleanup() {
  for pg in "${GROUPS_STARTED[@]}"; do kill -- "-$pg" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  for pg in "${GROUPS_STARTED[@]}"; do kill -9 -- "-$pg" 2>/dev/null || true; done
  [ -f "$WORK/nginx/nginx.pid" ] && kill "$(cat "$WORK/nginx/nginx.pid")" 2>/dev/null || true
  if [ -n "$KEEP" ]; then mkdir -p "$KEEP" && cp -r "$WORK"/. "$KEEP"/; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

. bench/lib.sh
infercore() { # LOG ARGS...: starts the service, sets SVC_PID
  local log=$1; shift
  "$JAVA" -Dquarkus.log.level=WARN -Dinfercore.models_dir="$WORK/models" \
    "$@" -jar "$JAR" >"$log" 2>&1 &
  SVC_PID=$!; PIDS+=("$SVC_PID")
}

R=$WORK/results; mkdir -p "$R" "$WORK/models" "$WORK/classes"
LIB="$APP/lib/main/*"
echo "compiling the bench tools" >&2
"$JAVAC" -nowarn -d "$WORK/classes" -cp "$LIB" bench/FastBackend.java bench/LoadClient.java
CP="$WORK/classes:$LIB"
LOAD_START=$(cut -d' ' -f1 /proc/loadavg)

# ---- the three targets: backend direct, nginx, infercore ----
BPORT=$(free_port); NPORT=$(free_port); SPORT=$(free_port)
"$JAVA" -cp "$CP" FastBackend "$BPORT" "$MODEL" "$STREAM_TOKENS" "$TOKEN_MS" >"$WORK/backend.log" 2>&1 &
PIDS+=($!); BACKEND_PID=$!
mkdir -p "$WORK/nginx"
USER_LINE=""; [ "$(id -u)" = 0 ] && USER_LINE="user root;"
sed -e "s|@PREFIX@|$WORK/nginx|g" -e "s|@PORT@|$NPORT|g" -e "s|@BACKEND_PORT@|$BPORT|g" -e "s|@USER_LINE@|$USER_LINE|" \
  bench/nginx.conf.template >"$WORK/nginx/nginx.conf"
"$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log" 2>"$WORK/nginx/stderr.log" &
PIDS+=($!); NGINX_PID=$!
infercore "$WORK/gateway.log" -Dquarkus.http.port="$SPORT" -Dinfercore.vllm.base_url="http://127.0.0.1:$BPORT" \
  -Dinfercore.embedded.enabled=false
GATEWAY_PID=$SVC_PID
NATIVE_GATEWAYS=""   # the native executable (the shipped daemon) gets the same load rows, same configuration
if [ -n "$NATIVE" ]; then
  XPORT=$(free_port); mkdir -p "$WORK/models-native"
  "$NATIVE" -Dquarkus.log.level=WARN -Dinfercore.models_dir="$WORK/models-native" -Dquarkus.http.port="$XPORT" \
    -Dinfercore.vllm.base_url="http://127.0.0.1:$BPORT" -Dinfercore.embedded.enabled=false >"$WORK/gateway-native.log" 2>&1 &
  NATIVE_GATEWAY_PID=$!; PIDS+=("$NATIVE_GATEWAY_PID")
fi
declare -A PEER_PORT PEER_PID PEER_HEALTH
for p in "${!PEER_BIN[@]}"; do
  PEER_PORT[$p]=$(free_port); mkdir -p "$WORK/$p"
  case $p in
    litellm)
      sed -e "s|@BACKEND_PORT@|$BPORT|g" -e "s|@MODEL@|$MODEL|g" bench/peers/litellm-config.yaml.template \
        >"$WORK/litellm/config.yaml"
      # no database, no remote model-cost map, no admin UI or docs, errors only; a worker per core
      # (under gunicorn: with uvicorn's own worker manager its workers kept restarting here)
      # in its own process group (setsid), so that its workers are stopped with it
      setsid env -C "$WORK/litellm" -u DATABASE_URL -u LITELLM_MASTER_KEY LITELLM_LOCAL_MODEL_COST_MAP=True \
        LITELLM_LOG=ERROR DISABLE_ADMIN_UI=True NO_DOCS=True NO_REDOC=True \
        "${PEER_BIN[$p]}" --config "$WORK/litellm/config.yaml" --host 127.0.0.1 --port "${PEER_PORT[$p]}" \
        --num_workers "$(nproc)" --run_gunicorn --telemetry False >"$WORK/litellm/litellm.log" 2>&1 &
      PEER_PID[$p]=$!; GROUPS_STARTED+=("${PEER_PID[$p]}")
      PEER_HEALTH[$p]=/health/liveliness ;;
    crabllm)
      sed -e "s|@PORT@|${PEER_PORT[$p]}|g" -e "s|@BACKEND_PORT@|$BPORT|g" -e "s|@MODEL@|$MODEL|g" \
        bench/peers/crabllm.toml.template >"$WORK/crabllm/crabllm.toml"
      RUST_LOG=warn "${PEER_BIN[$p]}" serve --config "$WORK/crabllm/crabllm.toml" >"$WORK/crabllm/crabllm.log" 2>&1 &
      PEER_PID[$p]=$!; PIDS+=("${PEER_PID[$p]}")
      PEER_HEALTH[$p]=/health ;;
  esac
done
wait_http "http://127.0.0.1:$BPORT/health" "$BACKEND_PID" 60
wait_http "http://127.0.0.1:$NPORT/health" "$NGINX_PID" 30
wait_http "http://127.0.0.1:$SPORT/q/health/ready" "$GATEWAY_PID" 60
if [ -n "$NATIVE" ]; then
  if wait_http "http://127.0.0.1:$XPORT/q/health/ready" "$NATIVE_GATEWAY_PID" 60; then
    NATIVE_GATEWAYS=" native_api native_v1"
  else
    echo "the native executable did not start (log: $WORK/gateway-native.log): its load rows stay empty" >&2
  fi
fi
RUNNING_PEERS=""
for p in $PEERS; do
  [ -n "${PEER_PID[$p]:-}" ] || continue
  # a Python proxy imports for a while (tens of seconds on a loaded machine)
  if wait_http "http://127.0.0.1:${PEER_PORT[$p]}${PEER_HEALTH[$p]}" "${PEER_PID[$p]}" 300 \
      && curl -sf -o /dev/null -H 'Content-Type: application/json' \
        -d "{\"model\":\"$MODEL\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}" \
        "http://127.0.0.1:${PEER_PORT[$p]}/v1/chat/completions"; then
    RUNNING_PEERS="$RUNNING_PEERS $p"
  else
    echo "peer $p did not start or did not answer a chat (log: $WORK/$p/): its rows stay empty" >&2
  fi
done

MSG='"messages":[{"role":"user","content":"Say hello"}],"max_tokens":8'
declare -A URL BODY
URL[direct]="http://127.0.0.1:$BPORT/v1/chat/completions";  BODY[direct]="{\"model\":\"$MODEL\",$MSG"
URL[nginx]="http://127.0.0.1:$NPORT/v1/chat/completions";   BODY[nginx]="{\"model\":\"$MODEL\",$MSG"
URL[infercore_v1]="http://127.0.0.1:$SPORT/v1/chat/completions"; BODY[infercore_v1]="{\"model\":\"$MODEL\",$MSG"
URL[infercore_api]="http://127.0.0.1:$SPORT/api/v1/llm/chat"
BODY[infercore_api]="{\"engine_type\":\"vllm\",\"model_name\":\"$MODEL\",$MSG"
URL[native_v1]="http://127.0.0.1:${XPORT:-0}/v1/chat/completions"; BODY[native_v1]=${BODY[infercore_v1]}
URL[native_api]="http://127.0.0.1:${XPORT:-0}/api/v1/llm/chat"; BODY[native_api]=${BODY[infercore_api]}
for p in $RUNNING_PEERS; do
  URL[$p]="http://127.0.0.1:${PEER_PORT[$p]}/v1/chat/completions"; BODY[$p]="{\"model\":\"$MODEL\",$MSG"
done
TARGETS="direct nginx$RUNNING_PEERS infercore_api infercore_v1$NATIVE_GATEWAYS"
load() { "$JAVA" -Xms256m -cp "$CP" -Dwarmup.seconds="$WARM" -Ddrain.grace.ms="$((DRAIN_S * 1000))" \
  -Dsse.timeout.seconds="$SSE_TIMEOUT_S" LoadClient "$@"; }

# A freshly started JVM serves its first tens of thousands of requests interpreted or half-compiled
# (on 2 cores, saturation throughput triples over the first ~15 s). Figures are for a warm service:
# each infercore route is driven at saturation for JIT_WARM seconds first, not measured (the native
# executable's too: it has no JIT, but its pools and the upstream connections are warmed the same way).
echo "warming the JIT of the service: ${JIT_WARM}s per route" >&2
for t in infercore_api infercore_v1$NATIVE_GATEWAYS; do
  load sat "${URL[$t]}" "${BODY[$t]}}" "$JIT_WARM" "$SAT_CONNS" >/dev/null
done
echo "non-streaming chat: fixed rates $RATES req/s and saturation, ${SECS}s each" >&2
for rate in $RATES; do
  for t in $TARGETS; do
    load rate "${URL[$t]}" "${BODY[$t]}}" "$rate" "$SECS" 256 >"$R/rate_${rate}_$t.json"
  done
done
for t in $TARGETS; do
  load sat "${URL[$t]}" "${BODY[$t]}}" "$SECS" "$SAT_CONNS" >"$R/sat_$t.json"
done
echo "streaming: $STREAMS streams x $STREAM_TOKENS tokens, ${TOKEN_MS} ms apart" >&2
for t in $TARGETS; do
  load sse "${URL[$t]}" "${BODY[$t]},\"stream\":true}" "$STREAMS" >"$R/sse_$t.json"
done
GATEWAY_RSS_LOADED=$(rss_mb "$GATEWAY_PID")
NATIVE_RSS_LOADED=""
if [ -n "$NATIVE_GATEWAYS" ]; then NATIVE_RSS_LOADED=$(rss_mb "$NATIVE_GATEWAY_PID" || true); stop_pid "$NATIVE_GATEWAY_PID"; fi
PEER_RSS=""
for p in $RUNNING_PEERS; do  # the peer's whole process group (LiteLLM's workers included)
  PEER_RSS="$PEER_RSS $p=$(group_rss_mb "${PEER_PID[$p]}" || echo null)"
  if [ "$p" = litellm ]; then kill -- "-${PEER_PID[$p]}" 2>/dev/null || true; fi
  stop_pid "${PEER_PID[$p]}"
done
stop_pid "$GATEWAY_PID"; stop_pid "$NGINX_PID"; stop_pid "$BACKEND_PID"

# ---- start-up and idle RSS (no model), then launch overhead on the same process ----
echo "start-up without a model (x$STARTS: the JVM with and without the CDS archive${NATIVE:+, the native executable}), idle RSS," \
  "launch overhead (x$LAUNCHES)" >&2
# Every start is bench/lib.sh's start_measure, as bench/native-startup.sh measures: no model, the
# embedded engine off, a fresh models directory; fork to the first 200 of /q/health/ready, VmRSS
# after IDLE seconds. As scripts/serve.sh starts the JVM: on a class-data sharing archive (made
# here from the same jar) and with config/jvm.options
JVM_OPTIONS=()
while read -r flag; do JVM_OPTIONS+=("$flag"); done < <(bash scripts/jvm-options.sh)
CDS=0
bash scripts/cds-archive.sh "$JAR" "$WORK/infercore.jsa" 2>"$WORK/cds-archive.log" && CDS=1
: >"$R/startup_cds.txt"; : >"$R/startup_native.txt"
for i in $(seq 1 "$STARTS"); do   # interleaved, so a change in the machine's load hits both
  if [ "$CDS" = 1 ]; then
    PORT=$(free_port)
    start_measure "$PORT" "$WORK/startup-cds$i.log" "$IDLE" "$WORK/models-cds$i" \
      "$JAVA" -XX:SharedArchiveFile="$WORK/infercore.jsa" "${JVM_OPTIONS[@]}" -jar "$JAR" >>"$R/startup_cds.txt"
    stop_pid "$MEASURED_PID"
  fi
  if [ -n "$NATIVE" ]; then  # the same configuration (its build has no embedded engine anyway)
    PORT=$(free_port)
    if ! start_measure "$PORT" "$WORK/startup-native$i.log" "$IDLE" "$WORK/models-native$i" "$NATIVE" \
        >>"$R/startup_native.txt"; then
      echo "the native executable failed start $i; its log ends:" >&2; tail -n 20 "$WORK/startup-native$i.log" >&2
      echo failed >>"$R/startup_native.txt"
    fi
    stop_pid "$MEASURED_PID"
  fi
done
: >"$R/startup.txt"
for i in $(seq 1 "$STARTS"); do
  PORT=$(free_port)
  FAKE_LOAD_SECONDS=$LOAD_DELAY start_measure "$PORT" "$WORK/startup$i.log" "$IDLE" "$WORK/models-jvm$i" "$JAVA" \
    -Dinfercore.vllm.launch_command="$ROOT/src/test/fakes/vllm,serve" -Dinfercore.supervisor.on_shutdown=stop \
    -jar "$JAR" >>"$R/startup.txt"
  SVC_PID=$MEASURED_PID
  if [ "$i" -lt "$STARTS" ]; then stop_pid "$SVC_PID"; fi
done
: >"$R/launch.txt"
for i in $(seq 1 "$LAUNCHES"); do
  OUT=$(curl -s -w '\n%{time_total}' -H 'Content-Type: application/json' \
    -d '{"model_id":"qwen2-0.5b","engine_type":"vllm"}' "http://127.0.0.1:$PORT/api/v1/models/start?wait=true")
  RUN=$(echo "$OUT" | head -n1 | python3 -c 'import json,sys; d=json.load(sys.stdin)["data"]; print(d["run_id"], d["status"])')
  echo "$(echo "$OUT" | tail -n1) $RUN" >>"$R/launch.txt"
  curl -s -o /dev/null -X POST "http://127.0.0.1:$PORT/api/v1/models/running/${RUN%% *}/stop"
done
# the fake vLLM alone: process start to its port answering, with the same load delay
: >"$R/fake_start.txt"
for i in $(seq 1 "$LAUNCHES"); do
  FPORT=$(free_port); T0=$(now_ms)
  FAKE_LOAD_SECONDS=$LOAD_DELAY "$ROOT/src/test/fakes/vllm" serve m --host 127.0.0.1 --port "$FPORT" >"$WORK/fake$i.log" 2>&1 &
  FPID=$!; PIDS+=("$FPID")
  wait_http "http://127.0.0.1:$FPORT/health" "$FPID" 30
  echo "$(( $(now_ms) - T0 ))" >>"$R/fake_start.txt"
  stop_pid "$FPID"
done
stop_pid "$SVC_PID"

# ---- embedded engine: start-up with the model, tokens/s vs java-llama.cpp, 4 concurrent ----
if [ -f "$GGUF" ]; then
  echo "embedded engine: $(basename "$GGUF"), $EMB_TOKENS tokens, $EMB_ROUNDS rounds" >&2
  PORT=$(free_port); T0=$(now_ms)
  infercore "$WORK/embedded.log" -Dquarkus.http.port="$PORT" -Dinfercore.llamacpp.model_path="$(realpath "$GGUF")" \
    -Dinfercore.default_model_name=bench -Dinfercore.llamacpp.threads=1 -Dinfercore.llamacpp.parallel=4 \
    -Dinfercore.llamacpp.context_length=512
  wait_http "http://127.0.0.1:$PORT/q/health/ready" "$SVC_PID" 120
  echo "$(( $(now_ms) - T0 ))" >"$R/startup_model.txt"
  mkdir -p "$WORK/llama"
  LLAMA_JAR=$(find "$APP/lib" -name "de.kherud.llama-*.jar" | head -n1)
  "$JAVA" -Dde.kherud.llama.tmpdir="$WORK/llama" -cp "$LLAMA_JAR" bench/EmbeddedThroughput.java "$(realpath "$GGUF")" \
    "http://127.0.0.1:$PORT" "$EMB_ROUNDS" "$EMB_TOKENS" 4 4 2>"$WORK/embedded-direct.log" | tail -n1 >"$R/embedded.json"
  stop_pid "$SVC_PID"
else
  echo "no GGUF at $GGUF: embedded scenario skipped" >&2
fi

# ---- report ----
LOAD_END=$(cut -d' ' -f1 /proc/loadavg)
python3 bench/report.py "$R" quick="$QUICK" secs="$SECS" sat_conns="$SAT_CONNS" streams="$STREAMS" \
  stream_tokens="$STREAM_TOKENS" token_ms="$TOKEN_MS" load_delay_s="$LOAD_DELAY" load1_start="$LOAD_START" \
  load1_end="$LOAD_END" gateway_rss_after_load_mb="$GATEWAY_RSS_LOADED" \
  native_rss_after_load_mb="$NATIVE_RSS_LOADED" native_load="${NATIVE_GATEWAYS# }" \
  jdk="$("$JAVA" -version 2>&1 | head -n1 | sed 's/"//g')" nginx="$("$NGINX" -v 2>&1 | sed 's/.*nginx\///')" \
  vertx="$(ls "$APP/lib/main" | sed -n 's/^io\.vertx\.vertx-core-\(.*\)\.jar$/\1/p')" \
  cpu="$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')" cores="$(nproc)" \
  gguf="$(basename "$GGUF")" starts="$STARTS" idle_s="$IDLE" native="$NATIVE" peers="$PEERS" peers_running="${RUNNING_PEERS# }" \
  peer_versions="$(for p in "${!PEER_VERSION[@]}"; do printf '%s=%s ' "$p" "${PEER_VERSION[$p]}"; done)" \
  peer_rss_after_load_mb="${PEER_RSS# }"
