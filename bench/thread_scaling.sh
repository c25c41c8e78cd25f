#!/usr/bin/env bash
# How a run scales with threads on one machine: the Istanbul scenario (or
# FILE), SAMPLES samples, on each thread count in THREADS, REPEAT times each
# (the fastest kept), with speed-up and efficiency against one thread and
# the check that every run's JSON agrees apart from `run`. Usage:
#   bench/thread_scaling.sh [PARLEY_BIN] [SAMPLES] [THREADS] [REPEAT] [RUN_ARGS...]
#   bench/thread_scaling.sh build/release/sim/cli/parley 4000000 "1 2 4 8 16" 2 -m cognitive-hierarchy
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/release/sim/cli/parley}
samples=${2:-4000000}
threads=${3:-"1 2"}
repeat=${4:-2}
shift $(($# < 4 ? $# : 4))
scenario=${SCENARIO:-scenarios/istanbul-2025.yaml}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for t in $threads; do
  for i in $(seq "$repeat"); do
    /usr/bin/time -f "%e %M" -o "$out/$t-$i.time" "$bin" run "$scenario" "$@" \
      --samples "$samples" --threads "$t" -q --json "$out/$t-$i.json"
  done
done
python3 - "$out" "$samples" "$repeat" $threads <<'PY'
import json, sys
out, samples, repeat, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
rows, docs = {}, []
for t in threads:
    runs = []
    for i in range(1, repeat + 1):
        doc = json.load(open(f"{out}/{t}-{i}.json"))
        wall, rss = open(f"{out}/{t}-{i}.time").read().split()
        runs.append((doc["run"]["seconds"], float(wall), int(rss) / 1024))
        docs.append({k: v for k, v in doc.items() if k != "run"})
    rows[t] = min(runs)
base = rows[threads[0]][0] * int(threads[0])
print(f"{'threads':>7} {'seconds':>8} {'samples/s':>11} {'speed-up':>8} {'efficiency':>10} {'peak RSS':>9}")
for t in threads:
    s, wall, rss = rows[t]
    print(f"{t:>7} {s:8.2f} {samples / s:11,.0f} {base / s:8.2f} {base / (int(t) * s):10.1%} {rss:7.1f} MiB")
same = all(d == docs[0] for d in docs)
print("JSON apart from run identical in every run:", same)
sys.exit(0 if same else 1)
PY
