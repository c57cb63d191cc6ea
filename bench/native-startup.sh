#!/usr/bin/env bash
# Start-to-ready and idle RSS of the native executable against the JVM build, side by side, with
# the same configuration (no model: infercore.embedded.enabled=false, so neither waits for one),
# and the native/JVM ratios.
#   bench/native-startup.sh [STARTS] [IDLE_SECONDS]      (defaults: 5 starts each, 10 s idle)
# Needs target/quarkus-app (./mvnw package) and target/*-runner (./native-build.sh).
# Start-to-ready: from the fork to the first 200 of /q/health/ready. RSS: VmRSS after the idle wait.
# The JVM starts as scripts/serve.sh starts it (config/jvm.options; the CDS archive when one is there).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
. scripts/java-env.sh
STARTS=${1:-5}
IDLE=${2:-10}
JAR=target/quarkus-app/quarkus-run.jar
RUNNER=$(ls target/*-runner 2>/dev/null | head -n1 || true)
[ -f "$JAR" ] || { echo "native-startup: $JAR missing: ./mvnw package -DskipTests" >&2; exit 1; }
[ -n "$RUNNER" ] || { echo "native-startup: no target/*-runner: ./native-build.sh" >&2; exit 1; }
WORK=$(mktemp -d)
PIDS=()
trap 'for p in "${PIDS[@]}"; do stop_pid "$p"; done; rm -rf "$WORK"' EXIT
JVM_OPTIONS=()
while read -r flag; do JVM_OPTIONS+=("$flag"); done < <(bash scripts/jvm-options.sh)
[ ! -f target/quarkus-app/infercore.jsa ] || JVM_OPTIONS+=("-XX:SharedArchiveFile=target/quarkus-app/infercore.jsa")

run() { # KIND: one start (bench/lib.sh's start_measure, as bench/run.sh measures), prints "ms rss_mb"
  local port log
  port=$(free_port)
  log="$WORK/$1-$port.log"
  if [ "$1" = jvm ]; then set -- java "${JVM_OPTIONS[@]}" -jar "$JAR"; else set -- "$RUNNER"; fi
  start_measure "$port" "$log" "$IDLE" "$WORK/models-$port" "$@" || { cat "$log" >&2; exit 1; }
  stop_pid "$MEASURED_PID"
}

: >"$WORK/jvm.txt"; : >"$WORK/native.txt"
for i in $(seq 1 "$STARTS"); do   # interleaved, so a change in the machine's load hits both
  run jvm >>"$WORK/jvm.txt"
  run native >>"$WORK/native.txt"
done
python3 - "$WORK/jvm.txt" "$WORK/native.txt" "$RUNNER" <<'PY'
import os, statistics, sys
def load(p):
    rows = [tuple(map(float, l.split())) for l in open(p) if l.strip()]
    return statistics.median(r[0] for r in rows), statistics.median(r[1] for r in rows), len(rows)
jvm, nat = load(sys.argv[1]), load(sys.argv[2])
print(f"starts: {jvm[2]} each, medians; load average {open('/proc/loadavg').read().split()[0]}; "
      f"native binary {os.path.getsize(sys.argv[3]) / 1048576:.1f} MB")
print(f"{'':8}{'start-to-ready':>16}{'idle RSS':>12}")
print(f"{'JVM':8}{jvm[0]:>13.0f} ms{jvm[1]:>9.1f} MB")
print(f"{'native':8}{nat[0]:>13.0f} ms{nat[1]:>9.1f} MB")
print(f"{'ratio':8}{nat[0] / jvm[0]:>16.2f}{nat[1] / jvm[1]:>12.2f}   (native / JVM)")
PY
