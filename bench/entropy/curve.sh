#!/usr/bin/env bash
# docs/entropy-max.md "Learning curve": harvest the biased and unbiased W39 sets, make and EAM-label the held-out W
# sets, then `crucible bench entropy-curve`. Run from an empty directory: bench/entropy/curve.sh /path/to/worktree
set -euo pipefail
W=${1:?worktree}; C=$W/crucible; B=$W/bench/entropy
EAM=/usr/share/lammps/potentials/W_zhou.eam.alloy
export OMP_NUM_THREADS=1
label() { $C calc "$1.extxyz" --calculator "eam:$EAM" --json > "$1.json"; /usr/bin/python3 $B/label_from_calc_json.py "$1.extxyz" "$1.json" "$1.eam.extxyz"; }
for s in biased unbiased; do
  [ -d $s ] || $C run $B/w39-$s.yaml --dir $s --master 'local[2]' -q
  [ -f $s.extxyz ] || $C pool export $s --cycle 1 --stage relaxed -o $s.extxyz
  [ -f $s.eam.extxyz ] || label $s
done
mkdir -p tests
[ -f tests/bcc54.extxyz ] || /usr/bin/python3 $B/make_tests.py
[ -f tests/interstitial_relaxed.extxyz ] || { /usr/bin/python3 $B/make_interstitial.py
  $C relax tests/interstitial_start.extxyz tests/interstitial_relaxed.extxyz --calculator "eam:$EAM" --fixed-cell; }
[ -f tests/surface110.extxyz ] || /usr/bin/python3 $B/make_extra.py
if [ ! -f tests/liquid.extxyz ]; then   # melt 4 ps at 9,000 K, then 6 ps at 5,000 K (bcc volume); 10 frames 0.5 ps apart after 1.5 ps
  $C md tests/bcc54.extxyz tests/melt.extxyz --calculator "eam:$EAM" --temperature-k 9000 --steps 4000 --sample-every 4000 --seed 1 --no-progress -q
  /usr/bin/python3 -c "from ase.io import read, write; write('tests/melt_last.extxyz', read('tests/melt.extxyz', -1))"
  $C md tests/melt_last.extxyz tests/hot.extxyz --calculator "eam:$EAM" --temperature-k 5000 --steps 6000 --sample-every 500 --seed 2 --no-progress -q
  /usr/bin/python3 -c "from ase.io import read, write; f = read('tests/hot.extxyz', ':'); write('tests/liquid.extxyz', f[-10:])"
fi
for t in bcc_rattled bcc_strained vacancy interstitial surface110 liquid; do
  [ -f tests/$t.eam.extxyz ] || label tests/$t
done
$C bench entropy-curve --train biased=biased.eam.extxyz --train unbiased=unbiased.eam.extxyz \
  $(for t in bcc_rattled bcc_strained vacancy interstitial surface110 liquid; do echo --test $t=tests/$t.eam.extxyz; done) \
  --sizes 10,20,40,80 --basis ace:rCut=5.0,maxDegree=12/10/8,lMax=4 --committee 4 --seed 1 "${@:2}"
