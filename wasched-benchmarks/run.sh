#!/bin/sh
# Builds the benchmark harness and runs workloads in one JVM:
#   wasched-benchmarks/run.sh W1                  one workload (W1 W2 W3 W5 W6 W7 W8 IMPORT WEB CLOUD)
#   wasched-benchmarks/run.sh ALL                 everything, one table
#   wasched-benchmarks/run.sh -Dbench.w1.deliveries=2000 -Dbench.w1.instances=1 W1   smaller sizes
# BENCH_SKIP_BUILD=1 skips the Maven build; JAVA_OPTS replaces the default -Xmx2g.
set -e
cd "$(dirname "$0")/.."
if [ -z "$BENCH_SKIP_BUILD" ]; then
  mvn -B -q -pl wasched-benchmarks -am package -DskipTests
fi
props=""
workloads=""
for a in "$@"; do
  case "$a" in
    -D*) props="$props $a" ;;
    *) workloads="$workloads $a" ;;
  esac
done
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
CP="wasched-benchmarks/target/classes:$(cat wasched-benchmarks/target/runtime-classpath.txt)"
# shellcheck disable=SC2086  # props and workloads are word lists on purpose
exec java ${JAVA_OPTS:--Xmx2g} -Dorg.slf4j.simpleLogger.defaultLogLevel=warn $props \
  -cp "$CP" dev.wasched.benchmarks.BenchmarkMain $workloads
