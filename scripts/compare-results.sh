#!/usr/bin/env bash
# Checks that two parley binaries give the same results: `run --json` (minus
# the top-level "run" key, which holds timing) for every scenario under
# scenarios/ with every model that applies, both selection rules, 1 and 2
# threads, forced arguments and another seed; then sweep, sensitivity,
# attribution, --precision, the sobol sampler and a comparison; and the
# random game of bench/data (long runs of normal draws).
#
# Usage: scripts/compare-results.sh [--ignore-provenance] REFERENCE_PARLEY NEW_PARLEY
# For optimisations that must not change any result: build the commit before
# the change into another folder (a `git worktree` builds in seconds with
# ccache) and compare. Exit status 1 when any output differs.
set -uo pipefail
ignore_provenance=0
if [[ ${1:-} == --ignore-provenance ]]; then
  ignore_provenance=1
  shift
fi
if [[ $# -ne 2 || ! -x $1 || ! -x $2 ]]; then
  echo "usage: $0 [--ignore-provenance] REFERENCE_PARLEY NEW_PARLEY (two executables)" >&2
  exit 2
fi
ref=$1
new=$2
cd "$(dirname "$0")/.."
failed=0
compared=0

# Drops the timing ("run") and, with --ignore-provenance, the provenance keys
# (model_parameters, overrides, scenario.extends), so that a build from before
# they existed can be compared.
strip_run() {
  python3 -c '
import json, sys
ignore = sys.argv[1] == "1"
d = json.load(sys.stdin)
d.pop("run", None)
def strip(o):
    for k in ("model_parameters", "overrides"):
        o.pop(k, None)
    if isinstance(o.get("scenario"), dict):
        o["scenario"].pop("extends", None)
if ignore:
    strip(d)
    for s in d.get("scenarios", []):
        strip(s)
print(json.dumps(d, sort_keys=True))' "$ignore_provenance"
}

compare() {
  local a b
  a=$("$ref" "$@" --json - -q 2>/dev/null | strip_run)
  b=$("$new" "$@" --json - -q 2>/dev/null | strip_run)
  compared=$((compared + 1))
  if [[ -z $a || $a != "$b" ]]; then
    echo "DIFFERENT: parley $*"
    failed=1
  fi
}

while IFS= read -r file; do
  if grep -q '^sequence:' "$file"; then
    models=(spe)
  else
    models=(nash-pure nash-mixed qre nash-logit)
  fi
  for model in "${models[@]}"; do
    case $model in
      nash-pure | spe) selections=(uniform payoff-dominant) samples=20000 ;;
      *) selections=(uniform) samples=2000 ;;
    esac
    for selection in "${selections[@]}"; do
      for threads in 1 2; do
        compare run "$file" --model "$model" --selection "$selection" -n "$samples" -t "$threads"
      done
    done
  done
done < <(find scenarios -name '*.yaml' | sort)

istanbul=scenarios/istanbul-2025.yaml
compare run "$istanbul" -n 20000 --without baunov-ceasefire-advantage --with stanovaya-no-deal-expected
compare run "$istanbul" -n 20000 --seed 99
compare run "$istanbul" -n 2000 --model qre --lambda 2.5
compare sweep "$istanbul" --vary payoff.ceasefire.russia=-1:2:4 -n 5000
compare sensitivity "$istanbul" -n 256
compare sensitivity "$istanbul" --method morris -n 50
compare run "$istanbul" -n 5000 --attribution shapley
compare run "$istanbul" --precision 0.01
compare run "$istanbul" --sampler sobol -n 8000
compare run "$istanbul" scenarios/istanbul-variants/credible-us-walkout.yaml -n 5000
# 324 normal payoffs in one run of draws, drawn in bulk (SampleRng::Normals);
# the shipped scenarios have no run of 8 normals. An overridden payoff splits
# the run.
random_game=bench/data/random-4x3-normal.yaml
for selection in uniform payoff-dominant; do
  for threads in 1 2; do
    compare run "$random_game" --selection "$selection" -n 20000 -t "$threads"
  done
done
compare run "$random_game" -n 20000 --seed 7 --set 'payoff.o1000.p2={normal: [0, 2]}'
compare run "$random_game" -n 2000 --model nash-mixed
echo "compared $compared outputs: $([[ $failed == 0 ]] && echo all identical || echo SOME DIFFER)"
exit $failed
