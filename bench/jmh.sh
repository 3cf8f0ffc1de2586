#!/usr/bin/env bash
# Runs JMH benchmarks of one module: bench/jmh.sh MODULE [JMH arguments...]
#   bench/jmh.sh core NeighborListBenchmark
#   bench/jmh.sh executors 'SomeBenchmark.method' -f 1 -wi 2 -i 3 -p size=100
# Compiles MODULE and the modules it depends on (test classes included, JMH's annotation processor generates the
# benchmark list), builds the test classpath in the same reactor (sibling modules resolve to their target/ folders,
# nothing is installed into ~/.m2), then runs org.openjdk.jmh.Main with the arguments given (-h lists them).
# Set MVN_OFFLINE=0 to let Maven download missing dependencies; JAVA_OPTS adds JVM options for the JMH launcher.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
if [ $# -lt 1 ] || [ ! -f "$root/$1/pom.xml" ]; then
  echo "usage: bench/jmh.sh MODULE [JMH args...]   (MODULE is a folder with a pom.xml, e.g. core)" >&2
  exit 2
fi
module="$1"; shift
offline=(-o); [ "${MVN_OFFLINE:-1}" = 0 ] && offline=()
cpfile="$(mktemp)"; trap 'rm -f "$cpfile"' EXIT
cd "$root"
./mvnw -B -q "${offline[@]}" -pl "$module" -am test-compile dependency:build-classpath -DskipTests \
  -Dmdep.outputFile="$cpfile" -Dmdep.includeScope=test >&2
# The last module of the reactor (MODULE itself) wrote its classpath last; add its own classes and test classes.
cp="$root/$module/target/test-classes:$root/$module/target/classes:$(cat "$cpfile")"
# shellcheck disable=SC2086
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" ${JAVA_OPTS:-} -cp "$cp" org.openjdk.jmh.Main "$@"
