#!/usr/bin/env python3
"""Turns the raw results of bench/run.sh into the table and the closing JSON line.

Usage: report.py RESULTS_DIR key=value...   (the key=values describe the run: machine, versions,
parameters; they go into the JSON under "run"). Added latency = a target's percentile minus the
direct percentile at the same rate; a missing result is null, never a guess. The peers (run key
"peers": the gateways a user would pick instead) get the same rows as nginx, and each infercore
route gets its ratios against every peer and nginx ("vs"): added p50 and p99 over the other's
(the other's floored at FLOOR_MS, loopback noise), saturation and streamed tokens/s over the other's.
The native executable, when there is one, serves the same load rows as the JVM ("native_api",
"native_v1", with the same targets and ratios). Start-up (no model): the JVM plain and as scripts/serve.sh starts it (CDS archive), and the native
executable (run key "native": its path, empty when there is none: "native" null, its figures null)
measured the same way, with its targets and its ratios to the JVM's figures.
"""
import datetime
import json
import os
import statistics
import sys

R = sys.argv[1]
run = dict(a.split("=", 1) for a in sys.argv[2:])
for k in ("quick", "secs", "sat_conns", "streams", "stream_tokens", "token_ms", "cores", "starts", "idle_s"):
    run[k] = int(run[k]) if run.get(k, "").isdigit() else run.get(k)
for k in ("load_delay_s", "load1_start", "load1_end", "gateway_rss_after_load_mb", "native_rss_after_load_mb"):
    try:
        run[k] = float(run[k])
    except (KeyError, ValueError):
        run[k] = None
PEERS = (run.get("peers") or "").split()
run["peers"] = PEERS
run["peers_running"] = (run.get("peers_running") or "").split()
run["peer_versions"] = dict(kv.split("=", 1) for kv in (run.get("peer_versions") or "").split())
run["peer_rss_after_load_mb"] = {k: (float(v) if v.replace(".", "", 1).isdigit() else None) for k, v in
                                 (kv.split("=", 1) for kv in (run.get("peer_rss_after_load_mb") or "").split())}
# the native executable's routes (run key "native_load": "native_api native_v1" when it served the load rows)
run["native_load"] = (run.get("native_load") or "").split()
GATEWAYS = ["infercore_api", "infercore_v1"] + run["native_load"]
TARGETS = ["direct", "nginx"] + PEERS + GATEWAYS
OTHERS = ["nginx"] + PEERS  # what infercore is compared with
NGINX_FLOOR_MS = FLOOR_MS = 0.05
NATIVE = run.get("native") or None
run["native"] = NATIVE
READY_TARGET_MS, RSS_TARGET_MB = 1500, 150                # the JVM's targets
NATIVE_READY_TARGET_MS, NATIVE_RSS_TARGET_MB = 100, 60    # the native executable's (issue 19)


def load(name):
    path = os.path.join(R, name)
    try:
        with open(path) as f:
            return json.loads(f.read().strip().splitlines()[-1])
    except (OSError, ValueError, IndexError):
        return None


def lines(name):
    try:
        with open(os.path.join(R, name)) as f:
            return [l.split() for l in f if l.strip()]
    except OSError:
        return []


def sub(a, b):
    return None if a is None or b is None else round(a - b, 3)


def div(a, b):
    return None if a is None or b in (None, 0) else round(a / b, 3)


def le(v, limit):
    return None if v is None else v <= limit


def ge(v, limit):
    return None if v is None else v >= limit


def floored(v):
    return None if v is None else max(v, FLOOR_MS)


def at_most(a, b):
    """a <= b, or None when either is missing."""
    return None if a is None or b is None else a <= b


out = {"run": run, "chat": {}, "saturation": {}, "streaming": {}, "startup": {}, "launch": {}, "embedded": None}
rates = sorted({int(f.split("_")[1]) for f in os.listdir(R) if f.startswith("rate_")})
for rate in rates:
    res = {t: load(f"rate_{rate}_{t}.json") for t in TARGETS}
    d = res["direct"] or {}
    entry = {}
    for t in TARGETS:
        x = res[t] or {}
        entry[t] = {"p50_ms": x.get("p50_ms"), "p99_ms": x.get("p99_ms"), "achieved_rps": x.get("achieved_rps"),
                    "errors": x.get("errors"), "timed_out": x.get("timed_out")}
        if t != "direct":
            entry[t]["added_p50_ms"] = sub(x.get("p50_ms"), d.get("p50_ms"))
            entry[t]["added_p99_ms"] = sub(x.get("p99_ms"), d.get("p99_ms"))
    # nginx's added p50 on loopback is a few microseconds and can come out negative (noise):
    # it is floored at NGINX_FLOOR_MS so that the ratio means something.
    ng = entry["nginx"]["added_p50_ms"]
    ng = None if ng is None else max(ng, NGINX_FLOOR_MS)
    for t in PEERS + GATEWAYS:
        entry[t]["added_p50_vs_nginx"] = div(entry[t]["added_p50_ms"], ng)
    for g in GATEWAYS:
        e = entry[g]
        e["target_p50_met"] = le(e["added_p50_vs_nginx"], 1.5)
        if rate == 2000:
            e["target_p99_met"] = le(e["added_p99_ms"], 2.0)
        e["vs"] = {o: {"added_p50_ratio": div(e["added_p50_ms"], floored(entry[o]["added_p50_ms"])),
                       "added_p99_ratio": div(e["added_p99_ms"], floored(entry[o]["added_p99_ms"])),
                       "ahead_p50": at_most(e["added_p50_ms"], entry[o]["added_p50_ms"]),
                       "ahead_p99": at_most(e["added_p99_ms"], entry[o]["added_p99_ms"])} for o in OTHERS}
    out["chat"][str(rate)] = entry

sat = {t: load(f"sat_{t}.json") or {} for t in TARGETS}
for t in TARGETS:
    out["saturation"][t] = {"rps": sat[t].get("rps"), "p50_ms": sat[t].get("p50_ms"), "p99_ms": sat[t].get("p99_ms"),
                            "errors": sat[t].get("errors")}
for g in GATEWAYS:
    out["saturation"][g]["vs_nginx"] = div(sat[g].get("rps"), sat["nginx"].get("rps"))
    out["saturation"][g]["target_met"] = ge(out["saturation"][g]["vs_nginx"], 0.5)
    out["saturation"][g]["vs"] = {o: div(sat[g].get("rps"), sat[o].get("rps")) for o in OTHERS}

sse = {t: load(f"sse_{t}.json") or {} for t in TARGETS}
for t in TARGETS:
    e = {"tok_s": sse[t].get("tok_s"), "gap_p50_ms": sse[t].get("gap_p50_ms"), "gap_p99_ms": sse[t].get("gap_p99_ms"),
         "tokens": sse[t].get("tokens"), "errors": sse[t].get("errors")}
    if t != "direct":
        e["tok_s_vs_direct"] = div(e["tok_s"], sse["direct"].get("tok_s"))
        e["added_gap_p99_ms"] = sub(e["gap_p99_ms"], sse["direct"].get("gap_p99_ms"))
    if t in GATEWAYS:
        e["target_met"] = (None if e["tok_s_vs_direct"] is None or e["added_gap_p99_ms"] is None
                           else e["tok_s_vs_direct"] >= 0.9 and e["added_gap_p99_ms"] <= 1.0)
        e["vs"] = {o: {"tok_s_ratio": div(e["tok_s"], sse[o].get("tok_s")),
                       "gap_p99_minus_ms": sub(e["gap_p99_ms"], sse[o].get("gap_p99_ms"))} for o in OTHERS}
    out["streaming"][t] = e

def starts(name):
    """The "ready_ms rss_mb" lines of a start-up file, and how many starts failed (a "failed" line)."""
    rows = lines(name)
    ok_rows = [(float(r[0]), float(r[1])) for r in rows if len(r) == 2 and r[0] != "failed"]
    return ok_rows, len(rows) - len(ok_rows)


def median(rows, i):
    return statistics.median(r[i] for r in rows) if rows else None


st, _ = starts("startup.txt")
ready = median(st, 0)
rss = median(st, 1)
if st:
    out["startup"] = {"ready_ms": ready, "ready_ms_all": [r[0] for r in st], "idle_rss_mb": rss,
                      "target_ready_met": ready <= READY_TARGET_MS, "target_rss_met": rss <= RSS_TARGET_MB}
cds, _ = starts("startup_cds.txt")
ready_cds, rss_cds = median(cds, 0), median(cds, 1)
if cds and st:  # as scripts/serve.sh starts it: on a class-data sharing archive of the same jar
    out["startup"].update({"ready_ms_cds": ready_cds, "ready_ms_cds_all": [r[0] for r in cds],
                           "idle_rss_mb_cds": rss_cds, "target_ready_met_cds": ready_cds <= READY_TARGET_MS,
                           "target_rss_met_cds": rss_cds <= RSS_TARGET_MB})
# The native executable, measured the same way; not built: "native" null and null figures, never dropped.
nat, nat_failed = starts("startup_native.txt") if NATIVE else ([], 0)
ready_nat, rss_nat = median(nat, 0), median(nat, 1)
native_info = None
if NATIVE:
    try:
        st_nat = os.stat(NATIVE)
        size_mb = round(st_nat.st_size / 1048576, 1)
        modified = datetime.datetime.fromtimestamp(st_nat.st_mtime, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    except OSError:
        size_mb = modified = None
    native_info = {"path": NATIVE, "size_mb": size_mb, "modified": modified, "starts": len(nat), "failed_starts": nat_failed}
out["startup"].update({
    "native": native_info, "native_ready_ms": ready_nat, "native_ready_ms_all": [r[0] for r in nat] if NATIVE else None,
    "native_idle_rss_mb": rss_nat, "target_ready_met_native": le(ready_nat, NATIVE_READY_TARGET_MS),
    "target_rss_met_native": le(rss_nat, NATIVE_RSS_TARGET_MB),
    "native_ready_vs_jvm": div(ready_nat, ready), "native_rss_vs_jvm": div(rss_nat, rss),
    "native_ready_vs_jvm_cds": div(ready_nat, ready_cds), "native_rss_vs_jvm_cds": div(rss_nat, rss_cds)})
model = lines("startup_model.txt")
if model and st:
    out["startup"]["ready_with_model_ms"] = float(model[0][0])
    out["startup"]["model_load_ms"] = round(float(model[0][0]) - out["startup"]["ready_ms"], 1)

delay = (run["load_delay_s"] or 0) * 1000
la = lines("launch.txt")
if la:
    totals = [float(l[0]) * 1000 for l in la]
    statuses = [l[2] if len(l) > 2 else "?" for l in la]
    over = statistics.median(totals) - delay
    out["launch"] = {"delay_ms": delay, "start_to_running_ms": [round(t, 1) for t in totals], "statuses": statuses,
                     "overhead_ms": round(over, 1), "target_met": over <= 300 and all(s == "running" for s in statuses)}
    fake = lines("fake_start.txt")
    if fake:
        f = statistics.median(float(x[0]) for x in fake)
        out["launch"]["fake_alone_overhead_ms"] = round(f - delay, 1)
        out["launch"]["infercore_share_ms"] = round(over - (f - delay), 1)

emb = load("embedded.json")
if emb:
    emb["target_ratio_met"] = emb.get("ratio_json", 0) >= 0.9
    emb["target_fairness_met"] = le(emb.get("spread_max_min"), 1.5)
    out["embedded"] = emb


def f(v, fmt="{:.2f}"):
    return "-" if v is None else fmt.format(v)


def ok(v):
    return "" if v is None else ("ok" if v else "MISS")


print(f"\ninfercore benchmark  ({run.get('cores')} cores, {run.get('cpu')}, {run.get('jdk')}, "
      f"load1 {run['load1_start']} -> {run['load1_end']}, {'quick' if run.get('quick') else 'full'})")
if PEERS:
    print("peers: " + ", ".join(f"{p} {run['peer_versions'].get(p, '(not available)')}" for p in PEERS))
print("\nNon-streaming chat, latency ms (added = minus direct); achieved req/s and errors")
print(f"{'rate':>6} {'target':<20} {'p50':>8} {'p99':>8} {'+p50':>8} {'+p99':>8} {'+p50/nginx':>10} {'req/s':>7} {'err':>6}"
      "  target")
for rate, entry in out["chat"].items():
    for t in TARGETS:
        e = entry[t]
        tgt = ""
        if t in GATEWAYS:
            tgt = ok(e.get("target_p50_met")) + (" / p99 " + ok(e.get("target_p99_met")) if "target_p99_met" in e else "")
        print(f"{rate:>6} {t:<20} {f(e['p50_ms'], '{:.3f}'):>8} {f(e['p99_ms'], '{:.3f}'):>8} "
              f"{f(e.get('added_p50_ms'), '{:.3f}'):>8} {f(e.get('added_p99_ms'), '{:.3f}'):>8} "
              f"{f(e.get('added_p50_vs_nginx')):>10} {f(e.get('achieved_rps'), '{:.0f}'):>7} "
              f"{f(e.get('errors'), '{:d}'):>6}  {tgt}")
print(f"\nSaturation ({run.get('sat_conns')} connections)")
for t in TARGETS:
    e = out["saturation"][t]
    print(f"  {t:<20} {f(e['rps'], '{:.0f}'):>7} req/s  p50 {f(e['p50_ms'], '{:.2f}')} ms  errors {f(e['errors'], '{:d}')}"
          + (f"  {f(e['vs_nginx'])}x nginx  {ok(e['target_met'])}" if t in GATEWAYS else ""))
print(f"\nStreaming ({run.get('streams')} streams x {run.get('stream_tokens')} tokens, {run.get('token_ms')} ms apart)")
for t in TARGETS:
    e = out["streaming"][t]
    print(f"  {t:<20} {f(e['tok_s'], '{:.0f}'):>7} tok/s  gap p50 {f(e['gap_p50_ms'])} p99 {f(e['gap_p99_ms'])} ms"
          + (f"  {f(e['tok_s_vs_direct'])}x direct, +p99 {f(e['added_gap_p99_ms'])} ms" if t != "direct" else "")
          + (f"  {ok(e['target_met'])}" if t in GATEWAYS else ""))
if PEERS:
    print("\ninfercore against each peer and nginx: added p50 and p99 as a multiple of the other's"
          " (<= 1 is ahead), saturation and streamed tok/s as a multiple of the other's (>= 1 is ahead)")
    rates_ = list(out["chat"])
    head = "".join(f" {'+p50 @' + r:>10} {'+p99 @' + r:>10}" for r in rates_)
    print(f"  {'route':<20} {'vs':<10}{head} {'sat':>7} {'tok/s':>7}")
    for g in GATEWAYS:
        for o in OTHERS:
            cells = "".join(f" {f(out['chat'][r][g]['vs'][o]['added_p50_ratio']):>10}"
                            f" {f(out['chat'][r][g]['vs'][o]['added_p99_ratio']):>10}" for r in rates_)
            print(f"  {g:<20} {o:<10}{cells} {f(out['saturation'][g]['vs'][o]):>7}"
                  f" {f(out['streaming'][g]['vs'][o]['tok_s_ratio']):>7}")
s = out["startup"]
n_starts = run.get("starts")
print(f"\nStart-up without a model: fork to ready, idle RSS after {run.get('idle_s')} s "
      f"({'one start each' if n_starts == 1 else f'medians of {n_starts} starts each'})")


def start_row(label, ready_ms, ready_met, ready_target, rss_mb, rss_met, rss_target):
    print(f"  {label:<42} {f(ready_ms, '{:.0f}'):>6} ms  <= {ready_target:<5}{ok(ready_met):<4}  "
          f"{f(rss_mb, '{:.1f}'):>6} MB  <= {rss_target:<4}{ok(rss_met)}")


if "ready_ms" in s:
    start_row("JVM, default flags", s["ready_ms"], s["target_ready_met"], READY_TARGET_MS,
              s["idle_rss_mb"], s["target_rss_met"], RSS_TARGET_MB)
if "ready_ms_cds" in s:
    start_row("JVM as serve.sh (CDS archive, jvm.options)", s["ready_ms_cds"], s["target_ready_met_cds"],
              READY_TARGET_MS, s["idle_rss_mb_cds"], s["target_rss_met_cds"], RSS_TARGET_MB)
nat = s["native"]
if nat is None:
    print("  native: not built (./native-build.sh)")
else:
    start_row(f"native ({os.path.basename(nat['path'])})", s["native_ready_ms"], s["target_ready_met_native"],
              NATIVE_READY_TARGET_MS, s["native_idle_rss_mb"], s["target_rss_met_native"], NATIVE_RSS_TARGET_MB)
    r3 = "{:.3f}"
    print(f"    native / JVM: ready {f(s['native_ready_vs_jvm'], r3)}x ({f(s['native_ready_vs_jvm_cds'], r3)}x serve.sh's), "
          f"idle RSS {f(s['native_rss_vs_jvm'], r3)}x ({f(s['native_rss_vs_jvm_cds'], r3)}x); "
          f"{f(nat['size_mb'], '{:.1f}')} MB executable, file time {nat['modified'] or '-'}"
          + (f"; {nat['failed_starts']} of {nat['starts'] + nat['failed_starts']} starts FAILED" if nat["failed_starts"] else ""))
if "ready_with_model_ms" in s:
    print(f"  JVM with the model: ready {f(s['ready_with_model_ms'], '{:.0f}')} ms (load {f(s['model_load_ms'], '{:.0f}')} ms)")
la = out["launch"]
if la:
    print(f"Launch overhead {f(la['overhead_ms'], '{:.0f}')} ms over a {la['delay_ms']:.0f} ms load "
          f"(fake vLLM alone {f(la.get('fake_alone_overhead_ms'), '{:.0f}')} ms) {ok(la['target_met'])}")
if emb:
    print(f"Embedded: direct {emb['direct_tok_s']:.0f} tok/s, service JSON {emb['ratio_json']:.3f}x, SSE "
          f"{emb['ratio_sse']:.3f}x {ok(emb['target_ratio_met'])}; {emb.get('concurrent')} concurrent: max/min "
          f"{f(emb.get('spread_max_min'))} {ok(emb['target_fairness_met'])}, {f(emb.get('burst_tok_s'), '{:.0f}')} tok/s")
print(json.dumps(out, separators=(",", ":")))
