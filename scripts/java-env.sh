# Sourced by the scripts: sets JAVA_HOME to a JDK 17 or newer, installing OpenJDK 17 from
# Debian when the machine has none.
java_major() { "$1/bin/java" -version 2>&1 | awk -F'"' '/version/ { split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit }'; }
if [ -z "${JAVA_HOME:-}" ] || [ ! -x "$JAVA_HOME/bin/javac" ] || [ "$(java_major "$JAVA_HOME")" -lt 17 ]; then
  JAVA_HOME=""
  for candidate in /usr/lib/jvm/java-17-openjdk-* /usr/lib/jvm/temurin-25-jdk-* /usr/lib/jvm/java-21-openjdk-* /usr/lib/jvm/*; do
    if [ -x "$candidate/bin/javac" ] && [ "$(java_major "$candidate")" -ge 17 ]; then
      JAVA_HOME=$candidate
      break
    fi
  done
  if [ -z "$JAVA_HOME" ]; then
    echo "java-env: no JDK 17+ found; installing openjdk-17-jdk-headless" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jdk-headless >&2
    JAVA_HOME=$(ls -d /usr/lib/jvm/java-17-openjdk-* | head -n1)
  fi
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
