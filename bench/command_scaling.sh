#!/usr/bin/env bash
# How each sampling command scales on one machine: run, sweep, sensitivity
# and compare on the Istanbul scenario, each as one process of one thread,
# one process of N threads, and N MPI ranks of one thread (when mpirun is
# there), with the wall time of each, speed-ups against one thread, and the
# check that the JSON agrees apart from `run` in all three. SCALE multiplies
# the work (1: about 3 s a command on one thread of a 2-core VM). Usage:
#   bench/command_scaling.sh [PARLEY_BIN] [N] [SCALE]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/release/sim/cli/parley}
n=${2:-2}
scale=${3:-1}
scenario=scenarios/istanbul-2025.yaml
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
declare -A commands=(
  [run]="run $scenario --samples $((2000000 * scale))"
  [sweep]="sweep $scenario --vary payoff.ceasefire.russia=0:1:11 --samples $((200000 * scale))"
  [sensitivity]="sensitivity $scenario --samples $((8192 * scale))"
  [compare]="compare $scenario --models nash-pure,qre,level-k,cognitive-hierarchy --samples $((40000 * scale))"
)
mpirun=()
if command -v mpirun >/dev/null; then
  mpirun=(mpirun --allow-run-as-root --oversubscribe --mca btl self,vader -n "$n")
fi
for name in run sweep sensitivity compare; do
  read -ra args <<<"${commands[$name]}"
  /usr/bin/time -f "%e" -o "$out/$name-one.time" "$bin" "${args[@]}" -t 1 -q --json "$out/$name-one.json"
  /usr/bin/time -f "%e" -o "$out/$name-threads.time" "$bin" "${args[@]}" -t "$n" -q --json "$out/$name-threads.json"
  if ((${#mpirun[@]})); then
    /usr/bin/time -f "%e" -o "$out/$name-ranks.time" "${mpirun[@]}" "$bin" "${args[@]}" -t 1 -q \
      --json "$out/$name-ranks.json"
  fi
done
python3 - "$out" "$n" <<'PY'
import json, os, sys
out, n = sys.argv[1], int(sys.argv[2])
def load(name, how):
    path = f"{out}/{name}-{how}.json"
    if not os.path.exists(path):
        return None, None
    doc = json.load(open(path))
    return float(open(f"{out}/{name}-{how}.time").read()), {k: v for k, v in doc.items() if k != "run"}
print(f"{'command':<12} {'1 thread':>9} {f'{n} threads':>16} {f'{n} ranks x 1':>16}  same JSON")
for name in ["run", "sweep", "sensitivity", "compare"]:
    t1, d1 = load(name, "one")
    tt, dt = load(name, "threads")
    tr, dr = load(name, "ranks")
    ranks = f"{tr:7.2f} s {t1 / tr:5.1f}x" if tr else "      (no mpirun)"
    same = dt == d1 and (dr is None or dr == d1)
    print(f"{name:<12} {t1:7.2f} s {tt:7.2f} s {t1 / tt:5.1f}x {ranks}  {same}")
PY
