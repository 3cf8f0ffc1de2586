#!/bin/bash
# Known-crystal errors of carbon GAP-RSS models vs the Tersoff oracle (docs/benchmarks.md, "GAP-RSS on carbon").
# usage: examples/c-references/track.sh CAMPAIGN_DIR OUT_DIR   (run from the repository root)
# Per reference and model: relax with the model (variable cell), then the energy of that cell with the model and with
# Tersoff; the Tersoff-relaxed energy of each reference is printed first. Lines: T|name|json and Mnnn|name|model|oracle.
set -e
C=$1; R=$2; mkdir -p "$R"
REFS=$(dirname "$0")
T=tersoff:/usr/share/lammps/potentials/SiC.tersoff
for s in diamond graphite; do
  ./crucible relax -q --calculator="$T" --optimizer=fire --fmax=0.01 --smax-gpa=0.01 --max-steps=2000 "$REFS/$s.xyz" "$R/$s-t.xyz" > /dev/null
  echo "T|$s|$(./crucible calc -q --json --calculator="$T" "$R/$s-t.xyz")"
done
for M in "$C"/models/model-*.json; do
  m=$(basename "$M" .json | sed 's/model-//')
  for s in diamond graphite; do
    ./crucible relax -q --potential="$M" --optimizer=fire --fmax=0.01 --smax-gpa=0.01 --max-steps=2000 "$REFS/$s.xyz" "$R/$s-$m.xyz" > /dev/null
    echo "M$m|$s|$(./crucible calc -q --json --potential="$M" "$R/$s-$m.xyz")|$(./crucible calc -q --json --calculator="$T" "$R/$s-$m.xyz")"
  done
done
