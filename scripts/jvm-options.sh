#!/usr/bin/env bash
# Prints the JVM flags of config/jvm.options, one per line ('#' comments and blank lines dropped).
# Read by scripts/serve.sh and bench/run.sh, so both start the service with the same flags.
#   scripts/jvm-options.sh [FILE]     (default: config/jvm.options beside this script's project)
set -euo pipefail
file=${1:-"$(dirname "$0")/../config/jvm.options"}
[ -f "$file" ] || exit 0
sed -e 's/#.*//' -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$file"
