#!/usr/bin/env bash
# Per-sample rows against the disk: SAMPLES rows of the Istanbul scenario
# written as CSV and as .npy into DIR with THREADS threads, beside the run
# without rows and the disk's own speed for a file of the .npy's size (dd,
# as parley writes, and fsync'd: parley does not sync, so small files go at
# the page cache's speed and files past the kernel's dirty-page limit at the
# disk's). Each file is removed after it is timed. Usage:
#   bench/per_sample_speed.sh [PARLEY_BIN] [SAMPLES] [THREADS] [DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/release/sim/cli/parley}
samples=${2:-10000000}
threads=${3:-2}
dir=${4:-/tmp}
scenario=scenarios/istanbul-2025.yaml
timed() {  # timed LABEL FILE-OR-EMPTY command...
  local label=$1 file=$2; shift 2
  sync
  /usr/bin/time -f "%e %U %S %M" -o "$dir/timing" "$@"
  read -r wall user sys rss <"$dir/timing"
  local bytes=0
  [[ -n $file ]] && bytes=$(stat -c %s "$file") && rm -f "$file"
  python3 -c "import sys; w, b = float(sys.argv[2]), int(sys.argv[3]); \
print(f'{sys.argv[1]:<18} {w:7.2f} s {b / 1e9:6.2f} GB {b / 1e6 / w if b else 0:7.0f} MB/s' \
      f'  user {sys.argv[4]} s sys {sys.argv[5]} s peak RSS {int(sys.argv[6]) / 1024:.1f} MiB')" \
    "$label" "$wall" "$bytes" "$user" "$sys" "$rss"
}
run=("$bin" run "$scenario" --samples "$samples" --threads "$threads" -q --json /dev/null)
timed "no rows" "" "${run[@]}"
timed "rows to /dev/null" "" "${run[@]}" --per-sample /dev/null
timed "CSV" "$dir/rows.csv" "${run[@]}" --per-sample "$dir/rows.csv"
timed ".npy" "$dir/rows.npy" "${run[@]}" --per-sample "$dir/rows.npy"
count=$((samples * 456 / 1048576 + 1))  # the Istanbul .npy's 456-byte records
timed "dd" "$dir/dd.bin" dd if=/dev/zero of="$dir/dd.bin" bs=1M count="$count" status=none
timed "dd (fsync)" "$dir/dd.bin" dd if=/dev/zero of="$dir/dd.bin" bs=1M count="$count" conv=fsync status=none
rm -f "$dir/timing"
