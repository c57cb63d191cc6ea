# Shell helpers of the benchmark scripts (bench/run.sh, bench/cpu-per-request.sh); sourced.
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
