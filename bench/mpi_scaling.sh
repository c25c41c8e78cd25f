#!/usr/bin/env bash
# Parallel efficiency of a distributed run: the Istanbul scenario, 10 million
# samples, on 1 rank and on K ranks of one thread each (default K = 2),
# alternated REPEAT times (default 3; the medians are reported, since one run
# on a shared 2-core machine varies by several per cent), with the peak
# memory of each, and the check that the JSON documents agree apart from
# `run`. Usage:
#   bench/mpi_scaling.sh [PARLEY_BIN] [K] [SAMPLES] [REPEAT]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/release/sim/cli/parley}
k=${2:-2}
samples=${3:-10000000}
repeat=${4:-3}
scenario=scenarios/istanbul-2025.yaml
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
mpirun=(mpirun --allow-run-as-root --oversubscribe --bind-to core --mca btl self,vader)

run() {  # run NAME THREADS [launcher...]
  local name=$1 threads=$2; shift 2
  /usr/bin/time -f "%e %M" -o "$out/$name.time" "$@" "$bin" run "$scenario" \
    --samples "$samples" --threads "$threads" -q --json "$out/$name.json"
}
# The same machine's ceiling for comparison: one process of K threads.
for i in $(seq "$repeat"); do
  run "one-$i" 1
  run "many-$i" 1 "${mpirun[@]}" -n "$k"
  run "threads-$i" "$k"
done
python3 - "$out" "$k" "$repeat" <<'PY'
import json, statistics, sys
out, k, repeat = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def load(name):
    doc = json.load(open(f"{out}/{name}.json"))
    wall, rss = open(f"{out}/{name}.time").read().split()
    return doc, doc["run"]["seconds"], doc["run"]["sampling_seconds"], float(wall), int(rss) / 1024
one = [load(f"one-{i}") for i in range(1, repeat + 1)]
many = [load(f"many-{i}") for i in range(1, repeat + 1)]
threads = [load(f"threads-{i}") for i in range(1, repeat + 1)]
med = lambda rows, c: statistics.median(r[c] for r in rows)
strip = lambda d: {a: b for a, b in d.items() if a != "run"}
same = all(strip(d[0]) == strip(one[0][0]) for d in one + many + threads)
print(f"1 rank x 1 thread: command {med(one, 1):.2f} s (sampling {med(one, 2):.2f} s; runs "
      + ", ".join(f"{r[1]:.2f}" for r in one) + f"), peak RSS {med(one, 4):.1f} MiB")
print(f"{k} ranks x 1 thread: command {med(many, 1):.2f} s (sampling {med(many, 2):.2f} s; runs "
      + ", ".join(f"{r[1]:.2f}" for r in many) + f"), with mpirun's start-up {med(many, 3):.2f} s, "
      f"peak RSS of the largest process {med(many, 4):.1f} MiB")
print(f"parallel efficiency (medians): command {med(one, 1) / (k * med(many, 1)):.1%}, "
      f"sampling {med(one, 2) / (k * med(many, 2)):.1%}, "
      f"mpirun's start-up included {med(one, 3) / (k * med(many, 3)):.1%}")
print(f"1 process x {k} threads (the machine's ceiling): command {med(threads, 1):.2f} s, "
      f"efficiency {med(one, 1) / (k * med(threads, 1)):.1%}")
print("JSON apart from run identical in every run:", same)
sys.exit(0 if same else 1)
PY
