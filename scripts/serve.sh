#!/usr/bin/env bash
# Runs infercore with the embedded default model (SmolLM2-135M-Instruct, CPU) on a fresh machine:
# fetches the model if missing, builds the service if it is missing or older than the sources,
# then runs it in the foreground (http://127.0.0.1:8000 unless --port/--host say otherwise).
#   scripts/serve.sh [--host H] [--port P]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-env.sh
bash scripts/fetch-default-model.sh models/gguf >/dev/null
jar=target/quarkus-app/quarkus-run.jar
if [ ! -f "$jar" ] || [ -n "$(find src pom.xml -newer "$jar" -print -quit)" ]; then
  echo "serve: building the service (./mvnw package)" >&2
  ./mvnw -q -B package -DskipTests
fi
# A class-data sharing archive of this build (made once per build, ~5 s): start-up about a quarter
# shorter and less idle memory (docs/BENCHMARKS.md). Without one the service starts all the same.
archive=target/quarkus-app/infercore.jsa
if [ ! -f "$archive" ] || [ "$jar" -nt "$archive" ]; then
  echo "serve: writing the class-data sharing archive (scripts/cds-archive.sh)" >&2
  bash scripts/cds-archive.sh "$jar" "$archive" || rm -f "$archive"
fi
opts=()
[ -f "$archive" ] && opts=(-XX:SharedArchiveFile="$archive")
while read -r flag; do opts+=("$flag"); done < <(bash scripts/jvm-options.sh)
exec "$JAVA_HOME/bin/java" "${opts[@]}" -jar "$jar" serve "$@"
