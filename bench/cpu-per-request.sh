#!/usr/bin/env bash
# CPU time per request of two builds of the service, side by side in one run: the same fast fake
# backend behind both, both JIT-warmed, then the same fixed-rate load (bench/LoadClient.java)
# against each in turn, ROUNDS times, reading each service's CPU ticks (utime + stime from
# /proc/PID/stat, all threads) before and after. CPU per request is robust where latency and
# saturation on a shared 2-core machine are not: it does not depend on who else got the cores.
#
#   bench/cpu-per-request.sh OLD_APP_DIR NEW_APP_DIR [RATE] [SECONDS] [ROUNDS] [ROUTE]
#     *_APP_DIR  a packaged service (the directory holding quarkus-run.jar)
#     RATE 1500 req/s, SECONDS 12, ROUNDS 4, ROUTE /v1/chat/completions (or /api/v1/llm/chat)
#   OLD_OPTS / NEW_OPTS (environment): extra JVM options for one side, e.g. the same build twice
#   with one setting changed: NEW_OPTS='-Dsome.flag=x' bench/cpu-per-request.sh APP APP
#
# Prints one line per measurement and, last, one JSON object: µs of CPU per request of each
# build (mean over rounds) and new/old per round and overall.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { sed -n 2,13p "$0"; exit 2; }
OLD=$(cd "$1" && pwd); NEW=$(cd "$2" && pwd)
RATE=${3:-1500}; SECS=${4:-12}; ROUNDS=${5:-4}; ROUTE=${6:-/v1/chat/completions}
if [ -z "${JAVA_HOME:-}" ] && [ -f scripts/java-env.sh ]; then . scripts/java-env.sh >/dev/null; fi
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
HZ=$(getconf CLK_TCK)
WORK=$(mktemp -d /tmp/infercore-cpu.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
. bench/lib.sh

start_fast_backend "$NEW/lib/main" "$WORK" 500 10
start() { # APP_DIR PORT EXTRA_OPTS -> pid
  # shellcheck disable=SC2086 # EXTRA_OPTS is a list of options
  "$JAVA" -Dquarkus.log.level=WARN ${3:-} -Dinfercore.models_dir="$WORK/models-$2" -Dquarkus.http.port="$2" \
    -Dinfercore.vllm.base_url="http://127.0.0.1:$BPORT" -Dinfercore.embedded.enabled=false \
    -jar "$1/quarkus-run.jar" >"$WORK/service-$2.log" 2>&1 &
  echo $!
}
OPORT=$(free_port); NPORT=$(free_port)
OPID=$(start "$OLD" "$OPORT" "${OLD_OPTS:-}"); PIDS+=("$OPID")
NPID=$(start "$NEW" "$NPORT" "${NEW_OPTS:-}"); PIDS+=("$NPID")
wait_http "http://127.0.0.1:$BPORT/health" "$BPID" 60
wait_http "http://127.0.0.1:$OPORT/q/health/ready" "$OPID" 60
wait_http "http://127.0.0.1:$NPORT/q/health/ready" "$NPID" 60

MSG='"messages":[{"role":"user","content":"Say hello"}],"max_tokens":8'
if [ "$ROUTE" = /api/v1/llm/chat ]; then BODY="{\"engine_type\":\"vllm\",\"model_name\":\"bench-model\",$MSG}"
else BODY="{\"model\":\"bench-model\",$MSG}"; fi
load() { "$JAVA" -Xms256m -cp "$CP" -Dwarmup.seconds=2 LoadClient "$@"; }
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

echo "warming both services' JIT (25 s each at saturation)" >&2
load sat "http://127.0.0.1:$OPORT$ROUTE" "$BODY" 25 64 >/dev/null
load sat "http://127.0.0.1:$NPORT$ROUTE" "$BODY" 25 64 >/dev/null
: >"$WORK/rows"
for r in $(seq 1 "$ROUNDS"); do
  for side in old new; do
    if [ $side = old ]; then pid=$OPID; port=$OPORT; else pid=$NPID; port=$NPORT; fi
    t0=$(ticks "$pid")
    out=$(load rate "http://127.0.0.1:$port$ROUTE" "$BODY" "$RATE" "$SECS" 256)
    t1=$(ticks "$pid")
    echo "$r $side $((t1 - t0)) $out" | tee -a "$WORK/rows" | cut -c1-160 >&2
  done
done
python3 - "$WORK/rows" "$HZ" "$RATE" "$SECS" "$ROUTE" <<'EOF'
import json, sys
rows, hz = open(sys.argv[1]).read().split("\n"), int(sys.argv[2])
per = {"old": {}, "new": {}}
for line in filter(None, rows):
    r, side, ticks, out = line.split(" ", 3)
    o = json.loads(out)
    if o.get("errors"):
        sys.exit(f"round {r} {side}: {o['errors']} errors")
    per[side][r] = int(ticks) / hz * 1e6 / o["requests"]
rounds = sorted(per["old"], key=int)
ratios = [round(per["new"][r] / per["old"][r], 3) for r in rounds]
mean = lambda xs: sum(xs) / len(xs)
print(json.dumps({"rate": int(sys.argv[3]), "seconds": int(sys.argv[4]), "route": sys.argv[5],
                  "old_cpu_us_per_request": round(mean([per["old"][r] for r in rounds]), 1),
                  "new_cpu_us_per_request": round(mean([per["new"][r] for r in rounds]), 1),
                  "new_vs_old_per_round": ratios,
                  "new_vs_old": round(mean([per["new"][r] for r in rounds]) / mean([per["old"][r] for r in rounds]), 3)}))
EOF
