#!/usr/bin/env bash
# Throughput of the native executable at saturation with and without some runtime options, side by
# side: the same executable started twice (A as shipped, B with the options), the same fast fake
# backend (bench/FastBackend.java, vLLM wire format) behind both, closed-loop load
# (bench/LoadClient.java sat) on one side at a time, rounds alternated so a change in the machine's
# load hits both. Meant for settings whose cost shows under load only (a young-generation cap).
#   bench/native-gc-load.sh "B_OPTIONS" [ROUNDS] [SECONDS] [CONNS] [ROUTE]
#     B_OPTIONS  e.g. '-Xmn8m'; A_OPTIONS (environment) for side A, default none
#     ROUNDS 4, SECONDS 15, CONNS 64, ROUTE /v1/chat/completions
# Needs target/*-runner (./native-build.sh; or RUNNER=path) and target/quarkus-app (the client's
# Vert.x jars; or APP=dir).
# Prints one line per round, then per side: the median req/s, B/A, the GC counts of the whole run
# (-XX:+PrintGCSummary at exit, both sides) and the RSS after the last round.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { sed -n 2,13p "$0"; exit 2; }
B_OPTS=$1; ROUNDS=${2:-4}; SECS=${3:-15}; CONNS=${4:-64}; ROUTE=${5:-/v1/chat/completions}
A_OPTS=${A_OPTIONS:-}
. bench/lib.sh
. scripts/java-env.sh >/dev/null
RUNNER=${RUNNER:-$(ls target/*-runner 2>/dev/null | head -n1 || true)}
LIB=${APP:-target/quarkus-app}/lib/main
[ -n "$RUNNER" ] || { echo "native-gc-load: no target/*-runner: ./native-build.sh" >&2; exit 1; }
[ -d "$LIB" ] || { echo "native-gc-load: $LIB missing: ./mvnw package -DskipTests" >&2; exit 1; }
WORK=$(mktemp -d /tmp/infercore-gcload.XXXXXX)
PIDS=()
trap 'for p in "${PIDS[@]}"; do stop_pid "$p"; done; rm -rf "$WORK"' EXIT
start_fast_backend "$LIB" "$WORK" 8 0
start() { # SIDE PORT OPTIONS -> pid
  # shellcheck disable=SC2086 # OPTIONS is a list of options
  "$RUNNER" -XX:+PrintGCSummary $3 -Dquarkus.http.port="$2" -Dquarkus.log.level=WARN \
    -Dinfercore.embedded.enabled=false -Dinfercore.models_dir="$WORK/models-$1" \
    -Dinfercore.vllm.base_url="http://127.0.0.1:$BPORT" >"$WORK/$1.log" 2>&1 &
  echo $!
}
APORT=$(free_port); APID=$(start a "$APORT" "$A_OPTS"); PIDS+=("$APID")
BPORT2=$(free_port); BPID2=$(start b "$BPORT2" "$B_OPTS"); PIDS+=("$BPID2")
wait_http "http://127.0.0.1:$BPORT/health" "$BPID" 60
wait_http "http://127.0.0.1:$APORT/q/health/ready" "$APID" 60
wait_http "http://127.0.0.1:$BPORT2/q/health/ready" "$BPID2" 60
BODY='{"model":"bench-model","messages":[{"role":"user","content":"Say hello"}],"max_tokens":8}'
load() { "$JAVA_HOME/bin/java" -Xms256m -cp "$CP" -Dwarmup.seconds=3 LoadClient sat "$1" "$BODY" "$SECS" "$CONNS"; }
: >"$WORK/rows"
for r in $(seq 1 "$ROUNDS"); do
  for side in a b; do
    if [ $side = a ]; then port=$APORT; pid=$APID; else port=$BPORT2; pid=$BPID2; fi
    out=$(load "http://127.0.0.1:$port$ROUTE")
    echo "$r $side $(rss_mb "$pid") $out" | tee -a "$WORK/rows" | cut -c1-150 >&2
  done
done
RSS_A=$(rss_mb "$APID"); RSS_B=$(rss_mb "$BPID2")
stop_pid "$APID"; stop_pid "$BPID2"
python3 - "$WORK/rows" "$WORK/a.log" "$WORK/b.log" "$A_OPTS" "$B_OPTS" "$RSS_A" "$RSS_B" <<'PY'
import json, re, statistics, sys
rows, alog, blog, aopts, bopts, rss_a, rss_b = sys.argv[1:8]
rps = {"a": [], "b": []}
for line in filter(None, open(rows).read().split("\n")):
    r, side, rss, out = line.split(" ", 3)
    o = json.loads(out)
    if o["errors"]:
        sys.exit(f"round {r} {side}: {o['errors']} errors")
    rps[side].append(o["rps"])
def gc(log):  # PrintGCSummary's lines that count collections or time
    return "; ".join(l.strip() for l in open(log) if re.search(r"(?i)(collection|gc).*(count|time)", l)) or "n/a"
ma, mb = statistics.median(rps["a"]), statistics.median(rps["b"])
print(f"A ({aopts or 'as shipped'}): median {ma:.0f} req/s {rps['a']}, RSS after {rss_a} MB; GC: {gc(alog)}")
print(f"B ({bopts}): median {mb:.0f} req/s {rps['b']}, RSS after {rss_b} MB; GC: {gc(blog)}")
print(f"B/A throughput: {mb / ma:.3f}; per round: {[round(b / a, 3) for a, b in zip(rps['a'], rps['b'])]}")
PY
