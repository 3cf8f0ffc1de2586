#!/usr/bin/env bash
# ASE drives MD of Si64 through SocketIOCalculator with a Crucible model served by `crucible serve` (i-PI protocol);
# checks every energy ASE received against `crucible calc --potential` on the same positions and compares the
# throughput with `crucible md` on the same model and system. Figures: docs/benchmarks.md ("i-PI socket").
# usage: bench/ipi-ase-md.sh [STEPS] [WORKDIR]      (needs Debian's /usr/bin/python3 with python3-ase)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
steps="${1:-1000}"
work="${2:-$(mktemp -d)}"
mkdir -p "$work" && cd "$work"
py=/usr/bin/python3
crucible="$here/crucible"
script="$here/driver/src/test/resources/interop/ase_socket_server.py"

$py -c "from ase.build import bulk; from ase.io import write; write('si64.extxyz', bulk('Si', 'diamond', a=5.431, cubic=True).repeat(2))"
# training data: Stillinger-Weber MD of Si64 at 1500 K, 41 frames; a small ACE basis (88 functions)
"$crucible" md si64.extxyz train.extxyz --calculator sw --temperature-k 1500 --steps 2000 --sample-every 50 --seed 3 --no-progress -q
"$crucible" fit train.extxyz --basis "ace:rCut=3.77118,lambda=0,maxDegree=10/10,wL=1,lMax=2" -o model.json -q > fit.json

name="crucible-bench-$$"
$py "$script" md "unix:$name" si64.extxyz "$steps" ase-md.jsonl > ase.out 2> ase.err &
pyid=$!
until grep -q LISTENING ase.out 2>/dev/null; do kill -0 $pyid 2>/dev/null || { cat ase.err; exit 1; }; sleep 0.1; done
"$crucible" serve model.json --structure si64.extxyz --unix "$name" | tee serve.out
wait $pyid

# the positions ASE held at every force call, written at full precision, through `crucible calc`
$py - <<'PY'
import json
recs = [json.loads(l) for l in open('ase-md.jsonl')]
with open('seen.extxyz', 'w') as f:
    for r in recs:
        if 'energy' not in r:
            continue
        n = len(r['positions']) // 3
        f.write('%d\nLattice="%s" Properties=species:S:1:pos:R:3 pbc="T T T"\n' % (n, ' '.join(repr(c) for c in r['cell'])))
        for i in range(n):
            f.write('Si %s %s %s\n' % tuple(repr(x) for x in r['positions'][3 * i:3 * i + 3]))
PY
"$crucible" calc seen.extxyz --potential model.json --json > calc.jsonl
$py - <<'PY'
import json
recs = [json.loads(l) for l in open('ase-md.jsonl')]
calc = [json.loads(l) for l in open('calc.jsonl')]
frames = [r for r in recs if 'energy' in r]
assert len(frames) == len(calc), (len(frames), len(calc))
de = max(abs(r['energy'] - c['energy_eV']) for r, c in zip(frames, calc))
df = max(abs(a - b) for r, c in zip(frames, calc) for a, b in zip(r['forces'], [x for row in c['forces_eV_per_A'] for x in row]))
t = recs[-1]
print('frames %d, max |E_ASE - E_calc| = %.3e eV, max |F_ASE - F_calc| = %.3e eV/A' % (len(frames), de, df))
print('ASE VelocityVerlet via SocketIOCalculator + crucible serve: %d steps in %.2f s = %.1f steps/s' % (t['steps'], t['seconds'], t['steps'] / t['seconds']))
assert de <= 1e-8, de
PY

# crucible md on the same model and system (NVE velocity Verlet, 1 fs): STEPS and 3 x STEPS steps, so that the JVM
# start and warm-up cancel in the rate 2 STEPS / (t(3 STEPS) - t(STEPS))
run_md() { local t0 t1; t0=$(date +%s.%N); "$crucible" md si64.extxyz "md$1.extxyz" --potential model.json --ensemble nve --temperature-k 600 \
  --steps "$1" --sample-every "$1" --no-progress -q > /dev/null; t1=$(date +%s.%N); $py -c "print($t1 - $t0)"; }
ta=$(run_md "$steps"); tb=$(run_md $((3 * steps)))
$py -c "
a, b, n = $ta, $tb, $steps
print('crucible md: %d steps in %.2f s wall, %d steps in %.2f s: %.1f steps/s without start-up' % (n, a, 3 * n, b, 2 * n / (b - a)))"
