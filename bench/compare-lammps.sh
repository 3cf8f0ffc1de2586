#!/usr/bin/env bash
# Crucible against LAMMPS, side by side in one invocation (issue 23, item 8): SW (Si.sw), Tersoff (Si.tersoff) and
# EAM (AlCu.eam.alloy) on the same rattled boxes, written once as LAMMPS data files; per kernel the evaluation with
# the neighbour list reused and rebuilt, and an MD step, in CPU microseconds per atom, with the ratios Crucible /
# LAMMPS, and the first frame's energy from both (they must agree, or the command exits 1).
#
# Builds nothing: runs the jar `./mvnw -DskipTests package` made (driver/target/crucible.jar) and `lmp` (or $LMP).
# Usage: bench/compare-lammps.sh [--atoms N] [--steps S] [--seconds T] [--kernels sw,tersoff,eam] [--json FILE] ...
#   (every option of `crucible bench lammps --help`). CI runs it small: --atoms 64 --steps 100 --seconds 0.2.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
jar="$here/driver/target/crucible.jar"
lmp="${LMP:-lmp}"
if [ ! -f "$jar" ]; then
  echo "compare-lammps: $jar is missing; build it first with ./mvnw -DskipTests package" >&2
  exit 2
fi
if ! command -v "$lmp" >/dev/null 2>&1; then
  echo "compare-lammps: LAMMPS '$lmp' not found (apt-get install lammps, or set LMP=/path/to/lmp)" >&2
  exit 2
fi
version=$( ("$lmp" -h 2>/dev/null || true) | sed -n 's/.*Simulator - //p' | head -1) || true
echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ), $(getconf _NPROCESSORS_ONLN) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), LAMMPS ${version:-(version unknown)}"
# CRUCIBLE_CLASSPATH: the launcher runs this jar as it is (no build step, no class-data sharing archive)
CRUCIBLE_CLASSPATH="$jar" exec "$here/crucible" bench lammps --lmp "$lmp" "$@"
