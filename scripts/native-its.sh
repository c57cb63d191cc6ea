#!/usr/bin/env bash
# Runs the @QuarkusIntegrationTest suites (every *IT annotated so) against the native executable
# that ./native-build.sh left in target/ (-Dnative with quarkus.native.reuse-existing: no rebuild).
# The other *IT classes (real vLLM, real Ollama, the supervisor's process tests) drive the JVM
# build's own classes and are not artifact tests; ./mvnw verify runs them.
#   scripts/native-its.sh [MAVEN_ARGS...]
set -euo pipefail
cd "$(dirname "$0")/.."
runner=$(ls target/*-runner 2>/dev/null | head -n1 || true)
[ -n "$runner" ] || { echo "native-its: no target/*-runner: ./native-build.sh first" >&2; exit 1; }
suites=$(grep -rl '^@QuarkusIntegrationTest' src/test/java | xargs -n1 basename | sed 's/\.java$//' | sort | paste -sd, -)
[ -n "$suites" ] || { echo "native-its: no @QuarkusIntegrationTest suite found" >&2; exit 1; }
echo "native-its: $runner against $suites"
bash scripts/test-model.sh >/dev/null
. scripts/java-env.sh
native_args=()
if [ -z "${GRAALVM_HOME:-}" ] && ! command -v native-image >/dev/null 2>&1; then
  home=$(bash scripts/native-toolchain.sh | tail -n1) # the cached toolchain (checked, not rebuilt)
  native_args=(-Dquarkus.native.graalvm-home="$home" -Dquarkus.native.java-home="$home")
fi
./mvnw -B verify -Dnative -Dquarkus.native.reuse-existing=true "${native_args[@]}" \
  -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test="$suites" "$@"
