#!/bin/bash
# Known-crystal errors of GAP-RSS models vs the SW oracle (docs/benchmarks.md, "GAP-RSS on Si with the SW oracle").
# usage: examples/si-references/track.sh CAMPAIGN_DIR OUT_DIR   (run from the repository root)
# Per reference and model: relax with the model (variable cell), then energy of that cell with the model and with SW;
# the SW-relaxed energy of each reference is printed first. Lines: SW|name|json  and  Mnnn|name|model json|sw json.
set -e
C=$1; R=$2; mkdir -p "$R"
REFS=$(dirname "$0")
for s in diamond lonsdaleite beta-tin bc8 sh; do
  ./crucible relax -q --calculator=sw --optimizer=fire --fmax=0.01 --smax-gpa=0.01 --max-steps=2000 "$REFS/$s.xyz" "$R/$s-sw.xyz" > /dev/null
  echo "SW|$s|$(./crucible calc -q --json --calculator=sw "$R/$s-sw.xyz")"
done
for M in "$C"/models/model-*.json; do
  m=$(basename "$M" .json | sed 's/model-//')
  for s in diamond lonsdaleite beta-tin bc8 sh; do
    ./crucible relax -q --potential="$M" --optimizer=fire --fmax=0.01 --smax-gpa=0.01 --max-steps=2000 "$REFS/$s.xyz" "$R/$s-$m.xyz" > /dev/null
    echo "M$m|$s|$(./crucible calc -q --json --potential="$M" "$R/$s-$m.xyz")|$(./crucible calc -q --json --calculator=sw "$R/$s-$m.xyz")"
  done
done
