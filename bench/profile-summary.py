"""Summarises a Flight Recorder recording of bench/profile.sh: CPU share per layer, hottest leaf
methods, top allocation sites, young-collection pauses. Each CPU sample is counted once, for the
layer of the innermost frame that belongs to a named layer (a JDK frame counts for its caller's
layer); 'inclusive' counts a sample for every layer anywhere on its stack."""
import collections
import json
import re
import sys

LAYERS = [  # first match wins, innermost frame first
    ("context propagation (SmallRye CP, ArC request context)",
     r"io/smallrye/context/|ArcContextProvider|BaseContextPropagation|io/quarkus/arc/impl/Scopes|CurrentManagedContext"),
    ("metrics (Micrometer, infercore meters)", r"io/micrometer|micrometer/runtime|io/infercore/metrics"),
    ("LangChain4j (request/answer mapping)", r"dev/langchain4j"),
    ("infercore: routing (ModelRouter, supervisor run table)", r"ModelRouter|io/infercore/supervisor"),
    ("infercore: engine call (engine/openai, engine/http)", r"io/infercore/engine"),
    ("infercore: other own code", r"io/infercore"),
    ("JSON (Jackson)", r"com/fasterxml/jackson"),
    ("CDI (ArC proxies, lookups)", r"io/quarkus/arc"),
    ("REST framework (RESTEasy Reactive)", r"org/jboss/resteasy|io/quarkus/resteasy"),
    ("Mutiny operators", r"io/smallrye/mutiny"),
    ("network I/O (Netty, Vert.x)", r"io/netty|io/vertx|sun/nio"),
]


def frames(event):
    trace = event["values"].get("stackTrace")
    return [f["method"]["type"]["name"] + "." + f["method"]["name"] for f in trace["frames"]] if trace else []


def layer_of(names):
    for name in names:
        for label, pattern in LAYERS:
            if re.search(pattern, name):
                return label
    return "JDK only"


def main(cpu_file, alloc_file, gc_file, seconds):
    cpu = [f for f in (frames(e) for e in json.load(open(cpu_file))["recording"]["events"]) if f]
    n = len(cpu)
    owned = collections.Counter(layer_of(f) for f in cpu)
    inclusive = collections.Counter()
    for f in cpu:
        stack = "\n".join(f)
        for label, pattern in LAYERS:
            if re.search(pattern, stack):
                inclusive[label] += 1
    print(f"CPU samples: {n}")
    print(f"  {'own %':>6} {'incl %':>7}  layer")
    for label, count in owned.most_common():
        print(f"  {100 * count / n:6.1f} {100 * inclusive[label] / n:7.1f}  {label}")
    print("hottest leaf methods:")
    for name, count in collections.Counter(f[0] for f in cpu).most_common(15):
        print(f"  {100 * count / n:5.1f}%  {name}")
    alloc = json.load(open(alloc_file))["recording"]["events"]
    total = sum(e["values"]["weight"] for e in alloc) or 1
    sites = collections.Counter()
    for e in alloc:
        f = frames(e)
        own = next((x for x in f if "io/infercore" in x or "langchain4j" in x), None)
        sites[own or " < ".join(x.split("/")[-1] for x in f[:2])] += e["values"]["weight"]
    print(f"allocation: {total / 1e6 / float(seconds):.0f} MB/s; top sites (first infercore or LangChain4j frame):")
    for site, weight in sites.most_common(12):
        print(f"  {100 * weight / total:5.1f}%  {site}")
    gcs = json.load(open(gc_file))["recording"]["events"]
    # JFR's JSON writes durations in seconds, e.g. "PT0.004S" or 0.004
    pauses = sorted(1000 * float(re.sub(r"[^0-9.]", "", str(e["values"].get("longestPause", "0")))) for e in gcs)
    if pauses:
        print(f"collections: {len(pauses)} in {seconds} s, pause p50 {pauses[len(pauses) // 2]:.1f} ms,"
              f" max {pauses[-1]:.1f} ms")


if __name__ == "__main__":
    main(*sys.argv[1:5])
