#!/usr/bin/env bash
# Builds the native executable of infercore.
#   ./native-build.sh                 with a local GraalVM/Mandrel for JDK 25 (GRAALVM_HOME, or native-image on PATH),
#                                     else through a container runtime (docker or podman) when one is running,
#                                     else with the toolchain scripts/native-toolchain.sh assembles from Maven Central
#                                     and public sources (cached in ${INFERCORE_CACHE}; needs Temurin 25, gcc, xz)
#   ./native-build.sh --sources-only  prepares target/native-sources for a machine that has GraalVM, then checks
#                                     the generated native-image metadata (scripts/check-native-sources.sh)
# Extra arguments go to Maven, e.g. -Dbuild.dir=target-native to build beside another build.
# NATIVE_XMX (default 8g) caps the image builder's heap. With no GraalVM, no container runtime and no
# Temurin 25 it stops before doing any work and says what to install.
# The native executable runs without the embedded engines (JNI): see README, "Deploy".
set -euo pipefail
cd "$(dirname "$0")"

build_dir=target
for arg in "$@"; do case "$arg" in -Dbuild.dir=*) build_dir=${arg#-Dbuild.dir=} ;; esac; done

if [ "${1:-}" = "--sources-only" ]; then
  shift
  . scripts/java-env.sh
  ./mvnw -B package -DskipTests -Dnative -Dquarkus.native.sources-only=true "$@"
  bash scripts/check-native-sources.sh "$build_dir"
  echo "native sources: $(pwd)/$build_dir/native-sources (run native-image there: native-image \$(cat native-image.args))"
  exit 0
fi

native_image=""
if [ -n "${GRAALVM_HOME:-}" ] && [ -x "$GRAALVM_HOME/bin/native-image" ]; then
  native_image="$GRAALVM_HOME/bin/native-image"
elif command -v native-image >/dev/null 2>&1; then
  native_image=$(command -v native-image)
fi

if [ -n "$native_image" ]; then
  export JAVA_HOME="${GRAALVM_HOME:-$(dirname "$(dirname "$(readlink -f "$native_image")")")}"
  ./mvnw -B package -DskipTests -Dnative "$@"
elif { command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; } || \
     { command -v podman >/dev/null 2>&1 && podman info >/dev/null 2>&1; }; then
  . scripts/java-env.sh
  ./mvnw -B package -DskipTests -Dnative -Dquarkus.native.container-build=true "$@"
elif home=$(bash scripts/native-toolchain.sh | tail -n1) && [ -x "$home/bin/native-image" ]; then
  . scripts/java-env.sh
  ./mvnw -B package -DskipTests -Dnative -Dquarkus.native.graalvm-home="$home" -Dquarkus.native.java-home="$home" \
    -Dquarkus.native.native-image-xmx="${NATIVE_XMX:-8g}" -Dquarkus.native.additional-build-args-append=-march=compatibility "$@"
else
  cat >&2 <<'MSG'
native-build.sh: no way to build a native image here.
Install one of:
  - GraalVM for JDK 25 (or Mandrel 25) and set GRAALVM_HOME to it (native-image must be in $GRAALVM_HOME/bin), or
  - a running container runtime (docker or podman); the build then uses the Mandrel builder image, or
  - Temurin 25 at /usr/lib/jvm/temurin-25-jdk-amd64 (or NATIVE_JDK), gcc and xz: scripts/native-toolchain.sh
    then assembles a toolchain from Maven Central and the OpenJDK sources.
Or prepare the inputs here and build elsewhere:  ./native-build.sh --sources-only
MSG
  exit 3
fi
echo "native executable: $(ls "$build_dir"/*-runner)"
