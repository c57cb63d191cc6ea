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
exec "$JAVA_HOME/bin/java" -jar "$jar" serve "$@"
