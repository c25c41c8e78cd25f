#!/usr/bin/env bash
# Parallel efficiency of a distributed run: the Istanbul scenario, 10 million
# samples, on 1 rank and on K ranks of one thread each (default K = 2), with
# the sampling time and peak memory of each, and the check that both JSON
# documents agree apart from `run`. Usage:
#   bench/mpi_scaling.sh [PARLEY_BIN] [K] [SAMPLES]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/release/sim/cli/parley}
k=${2:-2}
samples=${3:-10000000}
scenario=scenarios/istanbul-2025.yaml
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
mpirun=(mpirun --allow-run-as-root --oversubscribe --bind-to core --mca btl self,vader)

run() {  # run NAME [launcher...]
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$out/$name.time" "$@" "$bin" run "$scenario" \
    --samples "$samples" --threads 1 -q --json "$out/$name.json"
}
run one
run many "${mpirun[@]}" -n "$k"
python3 - "$out" "$k" <<'PY'
import json, sys
out, k = sys.argv[1], int(sys.argv[2])
one, many = (json.load(open(f"{out}/{n}.json")) for n in ("one", "many"))
t_one, rss_one = open(f"{out}/one.time").read().split()
t_many, rss_many = open(f"{out}/many.time").read().split()
s_one, s_many = one["run"]["sampling_seconds"], many["run"]["sampling_seconds"]
same = {a: b for a, b in one.items() if a != "run"} == {a: b for a, b in many.items() if a != "run"}
print(f"1 rank x 1 thread: sampling {s_one:.2f} s, wall {float(t_one):.2f} s, peak RSS {int(rss_one) / 1024:.1f} MiB")
print(f"{k} ranks x 1 thread: sampling {s_many:.2f} s, wall {float(t_many):.2f} s (mpirun included), "
      f"peak RSS per rank {int(rss_many) / 1024:.1f} MiB")
print(f"parallel efficiency (sampling): {s_one / (k * s_many):.1%}; (wall): {float(t_one) / (k * float(t_many)):.1%}")
print("JSON apart from run identical:", same)
sys.exit(0 if same else 1)
PY
