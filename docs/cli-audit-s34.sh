#!/usr/bin/env bash
# Session 34 audit of docs/cli.md: every command's --help and one bad input each, through the launcher.
L=/work/wt/cli/crucible
W=/tmp/aud34/work
rm -rf "$W"; mkdir -p "$W/empty"; cd "$W"
printf '2\nLattice="5 0 0 0 5 0 0 0 5" Properties=species:S:1:pos:R:3\nSi 0 0 0\n' > bad.extxyz
printf '1\nLattice="5 0 0 0 5 0 0 0 5" Properties=species:S:1:pos:R:3\nSi 0 0 0\n' > good.extxyz
printf 'name: x\nseed: [1, 2\n' > badsyntax.yaml
printf 'name: x\nseed: -3\ncomposition: Si8\n' > badseed.yaml
printf '{"format":"nope"}\n' > bad-model.json
CLASS='([a-z]+\.)+[A-Z][A-Za-z]+|[A-Za-z]*(Exception|Error)\b:|\bat org\.'
run() { # expected-code label args...
  local exp=$1; shift
  local before after
  before=$(find "$W" | sort)
  local t0=$(date +%s.%N)
  nice -n 10 "$L" "$@" > out.txt 2> err.txt; local rc=$?
  local t1=$(date +%s.%N)
  after=$(find "$W" | grep -v -e '/out.txt$' -e '/err.txt$' | sort)
  local created=$(comm -13 <(echo "$before" | grep -v -e '/out.txt$' -e '/err.txt$') <(echo "$after") | tr '\n' ' ')
  local cls=$(grep -Eo "$CLASS" err.txt | head -1)
  local st=$(grep -c $'^\tat ' err.txt)
  local verdict=ok
  [ "$rc" = "$exp" ] || verdict=FAIL
  [ -z "$cls" ] || verdict=FAIL
  [ "$st" = 0 ] || verdict=FAIL
  [ -z "$created" ] || verdict=FAIL
  if [ "$exp" = 0 ]; then [ -s err.txt ] && verdict=FAIL; grep -q '^Usage: crucible' out.txt || verdict=FAIL; fi
  printf '%s\t%s\t%s\t%.1fs\t%s\t%s\t%s\n' "$verdict" "$rc" "$*" "$(echo "$t1 - $t0" | bc)" "${cls:-}" "${created:-}" "$(head -c 300 err.txt | head -1)"
}
echo "== help"
for p in "" run resume relabel status cancel list report store "store export" "store stats" "store compact" "store verify" calc relax md fit generate symmetry describe similarity compare-sets convert dft "dft write" "dft parse" "dft run" "dft submit" "dft list" "dft cancel" cluster "cluster check" "cluster login" bench "bench csp-efficiency" "bench store" "bench selection" "bench hal-stability" "bench pool" "bench entropy-curve" "bench kill-harness" pool "pool ls" "pool export" serve version help; do
  # shellcheck disable=SC2086
  run 0 $p --help
done
echo "== bad input"
run 2 run missing.yaml --dir out-run
run 2 run badseed.yaml --dir out-run2
run 2 run badsyntax.yaml --dir out-run3
run 2 resume empty
run 2 relabel empty --failed
run 2 status empty
run 2 status empty --watch 0
run 2 cancel empty
run 2 list nosuchdir
run 2 report empty -o r.html
run 2 store export empty -o x.extxyz
run 2 store stats empty
run 2 store compact empty
run 2 store verify empty
run 2 calc bad.extxyz --calculator sw
run 2 relax bad.extxyz relaxed.extxyz --calculator sw
run 2 md good.extxyz mdout.extxyz --steps 10 --potential bad-model.json
run 2 fit bad.extxyz -o m.json
run 2 generate --composition Si8 --method nosuch -o g.extxyz
run 2 symmetry good.extxyz --tolerance -1
run 2 describe good.extxyz --descriptor soap-avg -o d.csv --param nmax=4
run 2 similarity good.extxyz missing.extxyz
run 2 compare-sets good.extxyz bad.extxyz
run 2 convert good.extxyz out.pdb
run 2 dft write --code qe --settings missing.yaml -o dftdir good.extxyz
run 2 dft parse --code qe missing.out
run 2 dft run --code qe --settings missing.yaml -o dftrun good.extxyz
run 2 dft submit --cluster nosuch --code qe --settings missing.yaml good.extxyz
run 2 dft list --cluster nosuch --campaign c1
run 2 dft cancel --cluster nosuch --campaign c1
run 2 cluster check --cluster nosuch
run 2 cluster login --cluster nosuch
run 2 bench csp-efficiency --config missing.yaml --dir bcsp
run 2 bench store --labels x --dir bstore
run 2 bench selection --n 0
run 2 bench hal-stability --runs 0 empty
run 2 bench pool empty
run 2 bench entropy-curve --train a=missing.extxyz --test b=good.extxyz
run 2 bench kill-harness --config missing.yaml --kills 1 --dir bkill
run 2 pool ls nosuchdir
run 2 pool export empty -o p.extxyz
run 2 serve bad-model.json --structure good.extxyz --unix sock1
run 2 version --bogus
run 2 help nosuch
run 2
