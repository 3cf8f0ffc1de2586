#!/usr/bin/env bash
# HAL versus plain uncertainty-triggered active learning (tau_r = 0), measured at a size two cores run in minutes:
# for each tau_r, the Si8 HAL campaign of examples/si-hal-sw.yaml with a harder setting (cycle 0 labels only 2 rattled
# diamond cells, HAL MD at T_HAL), then `crucible bench hal-stability` runs N unbiased Langevin MD runs with every
# model of the campaign and reports how many stay physical against the oracle calls the model was fitted to.
# Usage: bench/hal-stability.sh OUTDIR [T_HAL_K] [RUNS] [STEPS] [T_TEST_K]
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
out="${1:?usage: bench/hal-stability.sh OUTDIR [T_HAL_K] [RUNS] [STEPS] [T_TEST_K]}"
thal="${2:-2000}"; runs="${3:-10}"; steps="${4:-1000}"; ttest="${5:-2000}"
mkdir -p "$out"
cp "$here/examples/si8-diamond.extxyz" "$out/"
dirs=()
for tau in 0 0.05 0.1 0.2; do
  name="si8-hal-tau${tau}"
  sed -e "s/^name: .*/name: ${name//./p}/" -e "s/^  tau_r: .*/  tau_r: ${tau}/" -e "s/^  temperature_k: .*/  temperature_k: ${thal}/" \
      -e "s/^  cycle0_batch: .*/  cycle0_batch: 2/" "$here/examples/si-hal-sw.yaml" > "$out/$name.yaml"
  if [ ! -f "$out/$name/state.json" ] || ! grep -q '"next" *: *"DONE"' "$out/$name/state.json"; then
    rm -rf "$out/$name"
    start=$(date +%s)
    "$here/crucible" run "$out/$name.yaml" --dir "$out/$name" -q
    echo "$name: campaign wall time $(( $(date +%s) - start )) s"
  fi
  dirs+=("$out/$name")
done
"$here/crucible" bench hal-stability "${dirs[@]}" --runs "$runs" --steps "$steps" --temperature-k "$ttest" --min-distance 1.8 --max-drift 0.05 --held-out-frames 50
