#!/usr/bin/env bash
# Checks what `./native-build.sh --sources-only` prepared for native-image, without GraalVM:
# the runner jar, its libraries and arguments, and the native-image metadata Quarkus generated:
#   - every JSON type written or read outside JAX-RS signatures is registered for reflection
#     (constructors, methods and fields): the api DTOs annotated with @RegisterForReflection and
#     every class named in io.infercore.nativeimage.NativeReflection, with their nested types;
#   - the Fabric8 model classes named in io.infercore.nativeimage.KubernetesReflection are registered,
#     and not many more (the whole model, ~5,300 classes, comes back with a model jar's Jandex index);
#   - the resources read with getResource are included (built-in catalog, ReDoc page and bundle,
#     java-llama.cpp's libjllama.so).
# Usage: scripts/check-native-sources.sh [BUILD_DIR]   (default: target)
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:-target}/native-sources"
[ -f "$dir/native-image.args" ] || { echo "check-native-sources: $dir/native-image.args missing; run ./native-build.sh --sources-only" >&2; exit 1; }
runner=$(ls "$dir"/*-runner.jar 2>/dev/null | head -n1)
[ -n "$runner" ] || { echo "check-native-sources: no runner jar in $dir" >&2; exit 1; }
[ "$(ls "$dir/lib" | wc -l)" -gt 50 ] || { echo "check-native-sources: $dir/lib is (nearly) empty" >&2; exit 1; }
grep -q -- "--no-fallback" "$dir/native-image.args" || { echo "check-native-sources: native-image.args lacks --no-fallback" >&2; exit 1; }

python3 - "$runner" <<'PY'
import json, re, sys, zipfile, os

runner = sys.argv[1]
with zipfile.ZipFile(runner) as jar:
    reflect = json.loads(jar.read("META-INF/native-image/reflect-config.json"))
    resources = json.loads(jar.read("META-INF/native-image/resource-config.json"))

registered = {e["name"]: e for e in reflect}
full = ("allDeclaredConstructors", "allDeclaredMethods", "allDeclaredFields")

src = open("src/main/java/io/infercore/nativeimage/NativeReflection.java").read()
named = re.findall(r'"(io\.infercore\.[A-Za-z0-9_.$]+)"', src)
required = ["io.infercore.api.Envelope", "io.infercore.api.ReplyData$Generated", "io.infercore.api.ReplyData$Chatted",
            "io.infercore.api.ReplyData$Structured", "io.infercore.api.UsageData", "io.infercore.api.EmbedData",
            "io.infercore.api.EmbedData$EmbeddingUsage", "io.infercore.api.ExceptionMappers$OpenAiError"] + named

problems = []
for name in required:
    entry = registered.get(name)
    if entry is None:
        problems.append(f"{name}: not registered for reflection")
    elif not all(entry.get(k) for k in full):
        problems.append(f"{name}: registered without {', '.join(k for k in full if not entry.get(k))}")
# The Fabric8 model: exactly what KubernetesReflection names, not the whole model a Jandex index would bring back.
k8s = re.findall(r'"(io\.fabric8\.[A-Za-z0-9_.$]+)"', open("src/main/java/io/infercore/nativeimage/KubernetesReflection.java").read())
for name in k8s:
    entry = registered.get(name)
    if entry is None or not all(entry.get(k) for k in full):
        problems.append(f"{name}: not registered for reflection with all members (KubernetesReflection)")
fabric8 = [n for n in registered if n.startswith("io.fabric8.")]
if len(fabric8) > len(set(k8s)) + 50:
    problems.append(f"{len(fabric8)} Fabric8 classes registered for reflection, KubernetesReflection names {len(set(k8s))}: "
                    "is a Fabric8 model jar's Jandex index back (quarkus.class-loading.removed-resources)?")
# Nested types come with their outer class (ignoreNested=false): check one level for the named ones.
nested = sorted(n for n in registered if any(n.startswith(o + "$") for o in named))

def python_regex(java):  # native-image patterns are Java regexes: turn \Q...\E quoting into re.escape
    return re.sub(r"\\Q(.*?)\\E", lambda m: re.escape(m.group(1)), java)
patterns = [python_regex(p["pattern"]) for p in resources["resources"]["includes"]]
def included(path):
    return any(re.fullmatch(p, path) for p in patterns)
wanted = ["META-INF/resources/redoc/index.html", "META-INF/resources/webjars/redoc/2.1.4/bundles/redoc.standalone.js"]
# java-llama.cpp extracts its JNI library from the executable's resources (the embedded engine in native)
wanted.append("de/kherud/llama/Linux/x86_64/libjllama.so")
if os.path.isfile("src/main/resources/io/infercore/catalog/builtin-models.json"):
    wanted.append("io/infercore/catalog/builtin-models.json")
for path in wanted:
    if not included(path):
        problems.append(f"resource {path}: not included in the native image")

if problems:
    print("check-native-sources: FAILED", *problems, sep="\n  ", file=sys.stderr)
    sys.exit(1)
print(f"check-native-sources: ok: {len(required)} JSON types registered for reflection (+{len(nested)} nested), "
      f"{len(wanted)} resources included, {len(reflect)} reflection entries in total ({len(fabric8)} Fabric8)")
PY
