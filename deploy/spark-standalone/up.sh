#!/usr/bin/env bash
# Starts a Spark standalone cluster on 127.0.0.1: one master and two workers (1 core each), from the Spark jars the
# build already has (driver/target/lib after ./mvnw -q -DskipTests package). Prints the master URL on success.
#
# Environment (all optional):
#   SPARK_MASTER_PORT        master port (default 7077)
#   SPARK_MASTER_WEBUI_PORT  master UI port (default 8080; workers use the next two ports)
#   CRUCIBLE_SPARK_RUN       directory for pid files, logs and work dirs (default deploy/spark-standalone/.run)
#   CRUCIBLE_SPARK_JARS      directory of jars to run from (default driver/target/lib)
#   CRUCIBLE_WORKER_MEMORY   memory per worker (default 2g)
# Every service binds to 127.0.0.1 (SPARK_LOCAL_IP). Stop with down.sh (same CRUCIBLE_SPARK_RUN).
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
root="$(cd "$here/../.." && pwd)"
port="${SPARK_MASTER_PORT:-7077}"
ui="${SPARK_MASTER_WEBUI_PORT:-8080}"
run="${CRUCIBLE_SPARK_RUN:-$here/.run}"
jars="${CRUCIBLE_SPARK_JARS:-$root/driver/target/lib}"
mem="${CRUCIBLE_WORKER_MEMORY:-2g}"

if ! ls "$jars"/spark-core_*.jar > /dev/null 2>&1; then
  echo "up.sh: no Spark jars in $jars; building (./mvnw -q -B -DskipTests package) ..." >&2
  ( cd "$root" && ./mvnw -q -B -DskipTests package >&2 )
fi
# Jars of two Scala lines (a -Pscala-2.12 build over a default one leaves both in driver/target/lib) make the master
# die at start with a VerifyError; say so instead of waiting for a port that never opens.
lines="$(ls "$jars" | sed -n 's/^spark-core_\(2\.1[0-9]\)-.*\.jar$/\1/p' | sort -u | tr '\n' ' ')"
if [ "$(echo $lines | wc -w)" -gt 1 ]; then
  echo "up.sh: $jars holds Spark jars for Scala $lines(one build over another); rebuild it with ./mvnw -q -B -DskipTests clean package" >&2
  exit 1
fi
if [ -f "$run/master.pid" ] && kill -0 "$(cat "$run/master.pid")" 2> /dev/null; then
  echo "up.sh: a master started from $run is already running (pid $(cat "$run/master.pid")); run down.sh first" >&2
  exit 1
fi
mkdir -p "$run/home"
# The worker builds executor class paths from $SPARK_HOME/jars.
ln -sfn "$jars" "$run/home/jars"
export SPARK_HOME="$run/home" SPARK_LOCAL_IP=127.0.0.1 SPARK_SCALA_VERSION="${SPARK_SCALA_VERSION:-2.13}"
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
opens=(--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false)

# Spark's jars bring no logging binding, so readiness is read from the master's port and its JSON status page.
http_get() { # port path
  exec 3<> "/dev/tcp/127.0.0.1/$1" || return 1
  printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$2" >&3
  cat <&3
  exec 3<&-
}
# Wall-clock deadline: a JVM start on a loaded 2-core machine can take well over a minute (session 33 saw the master
# miss 60 s at load 19). CRUCIBLE_UP_TIMEOUT_FACTOR multiplies every wait; default 3 (the master gets 180 s).
# A service that died is reported at once with the end of its log, not after the deadline.
wait_until() { # seconds description command...
  local seconds=$(( $1 * ${CRUCIBLE_UP_TIMEOUT_FACTOR:-3} )) what="$2"; shift 2
  local deadline=$((SECONDS + seconds)) svc
  while [ "$SECONDS" -lt "$deadline" ]; do
    if "$@" > /dev/null 2>&1; then return 0; fi
    for svc in master worker1 worker2; do
      if [ -f "$run/$svc.pid" ] && ! kill -0 "$(cat "$run/$svc.pid")" 2> /dev/null; then
        echo "up.sh: the $svc exited while waiting for $what; the end of $run/$svc.log:" >&2
        grep -v '^\s*at \|^\s*[0-9a-f]\{7\}:' "$run/$svc.log" | tail -n 5 >&2
        return 1
      fi
    done
    sleep 0.1
  done
  echo "up.sh: timed out after ${seconds}s waiting for $what; logs in $run" >&2
  return 1
}
workers_alive() { [ "$(http_get "$ui" /json/ | tr -d ' \n' | grep -o '"aliveworkers":[0-9]*' | cut -d: -f2)" = 2 ]; }

nohup "$java_bin" "${opens[@]}" -Xmx512m -cp "$jars/*" org.apache.spark.deploy.master.Master \
  --host 127.0.0.1 --port "$port" --webui-port "$ui" > "$run/master.log" 2>&1 &
echo $! > "$run/master.pid"
wait_until 60 "the master on 127.0.0.1:$port" bash -c "exec 3<> /dev/tcp/127.0.0.1/$port"
for i in 1 2; do
  mkdir -p "$run/worker$i"
  nohup "$java_bin" "${opens[@]}" -Xmx512m -cp "$jars/*" org.apache.spark.deploy.worker.Worker \
    --host 127.0.0.1 --cores 1 --memory "$mem" --webui-port $((ui + i)) --work-dir "$run/worker$i" \
    "spark://127.0.0.1:$port" > "$run/worker$i.log" 2>&1 &
  echo $! > "$run/worker$i.pid"
done
wait_until 60 "two workers to register" workers_alive
echo "spark://127.0.0.1:$port"
