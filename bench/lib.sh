# Shell helpers of the benchmark scripts (bench/run.sh, bench/native-startup.sh, bench/cpu-per-request.sh,
# bench/native-gc-load.sh);
# sourced.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now_ms() { date +%s%3N; }
wait_http() { # URL PID SECONDS: until URL answers 2xx
  local end=$(( $(now_ms) + $3 * 1000 ))
  until curl -sf -o /dev/null "$1"; do
    kill -0 "$2" 2>/dev/null || { echo "process $2 died before $1 answered" >&2; return 1; }
    [ "$(now_ms)" -lt "$end" ] || { echo "timeout waiting for $1" >&2; return 1; }
    sleep 0.01
  done
}
rss_mb() { awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$1/status"; }
stop_pid() { kill "$1" 2>/dev/null || true; for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done; kill -9 "$1" 2>/dev/null || true; }
group_rss_mb() { # PID: its RSS, summed over its process group when it leads one (a server and its workers)
  { pgrep -g "$1" || echo "$1"; } | while read -r p; do
    awk '/VmRSS/ {print $2}' "/proc/$p/status" 2>/dev/null || true
  done | awk '{s += $1} END {printf "%.1f", s/1024}'
}
start_measure() { # PORT LOG IDLE_SECONDS MODELS_DIR PROGRAM ARGS...: one start without a model
  # The one start-up measurement of bench/run.sh and bench/native-startup.sh, the same for the JVM
  # (PROGRAM java, ARGS ending in -jar JAR) and the native executable (PROGRAM the runner): PROGRAM
  # gets the port, WARN logging, the embedded engine off and MODELS_DIR (created; pass a fresh one)
  # as -D options right after it, then ARGS; its output goes to LOG. Prints "READY_MS RSS_MB":
  # from the fork to the first 2xx of /q/health/ready, and VmRSS after IDLE_SECONDS idle. Leaves
  # the process running: its pid in MEASURED_PID (and appended to PIDS, for the caller's exit
  # trap). Prints nothing and returns 1 when it is not ready within READY_TIMEOUT seconds (120)
  # or has gone before its RSS is read.
  local port=$1 log=$2 idle=$3 models=$4 program=$5 t0 t1 rss
  shift 5
  mkdir -p "$models"
  t0=$(now_ms)
  "$program" -Dquarkus.http.port="$port" -Dquarkus.log.level=WARN -Dinfercore.embedded.enabled=false \
    -Dinfercore.models_dir="$models" "$@" >"$log" 2>&1 &
  MEASURED_PID=$!; PIDS+=("$MEASURED_PID")
  wait_http "http://127.0.0.1:$port/q/health/ready" "$MEASURED_PID" "${READY_TIMEOUT:-120}" || return 1
  t1=$(now_ms)
  sleep "$idle"
  rss=$(rss_mb "$MEASURED_PID" 2>/dev/null) && [ -n "$rss" ] || { echo "process $MEASURED_PID gone while idle" >&2; return 1; }
  echo "$((t1 - t0)) $rss"
}
start_fast_backend() { # LIB_DIR WORK TOKENS TOKEN_MS: compiles the bench's Java tools against LIB_DIR's jars
  # into WORK/classes and starts bench/FastBackend.java on a free port. Sets CP (the tools and the
  # jars), BPORT and BPID (appended to PIDS); its log is WORK/backend.log.
  local java=${JAVA_HOME:+$JAVA_HOME/bin/}java javac=${JAVA_HOME:+$JAVA_HOME/bin/}javac
  "$javac" -nowarn -d "$2/classes" -cp "$1/*" bench/FastBackend.java bench/LoadClient.java
  CP="$2/classes:$1/*"
  BPORT=$(free_port)
  "$java" -cp "$CP" FastBackend "$BPORT" bench-model "$3" "$4" >"$2/backend.log" 2>&1 &
  BPID=$!; PIDS+=("$BPID")
}
