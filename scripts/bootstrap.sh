#!/usr/bin/env bash
# One entry point for a fresh Debian 12 machine (run as root, or with sudo):
#   scripts/bootstrap.sh run    install what is missing, build (Release), run the default scenario
#   scripts/bootstrap.sh test   install what is missing, build, pass every test (Release with GCC,
#                               then Clang with ASan+UBSan and libFuzzer, fuzzing each reader briefly)
#   scripts/bootstrap.sh deps   only install what is missing (Debian packages, and the
#                               npm modules of sim/report/web for `parley report`)
set -euo pipefail
cd "$(dirname "$0")/.."

# Every Debian package Parley needs to build, test and benchmark.
PACKAGES=(
  g++ make cmake ninja-build
  libeigen3-dev libyaml-cpp-dev libtbb-dev libboost-dev libboost-graph-dev
  libfmt-dev libcli11-dev nlohmann-json3-dev librandom123-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  nodejs npm
  pybind11-dev python3-dev python3-numpy
  libopenmpi-dev openmpi-bin
)
# Only for `test` (large, so `run` does not install them): the browser that
# checks the HTML reports render; Clang with its runtime libraries (libFuzzer,
# the sanitizers) for the sanitizer and fuzzing build; the Python modules
# that check the scenario JSON Schema (tests/scenario_schema_test.py); jq,
# which commands quoted in the docs pipe into (scripts/check-doc-outputs.py);
# pytest for the Python module's tests and matplotlib for its how-to's plot.
TEST_PACKAGES=(chromium clang libclang-rt-14-dev python3-yaml python3-jsonschema jq
  python3-pytest python3-matplotlib)

JOBS=$(nproc 2>/dev/null || echo 2)

install_missing() {
  local missing=()
  for p in "$@"; do
    # A node.js from elsewhere (e.g. NodeSource, which bundles npm) will do.
    if [[ $p == nodejs || $p == npm ]] && command -v npm >/dev/null && command -v node >/dev/null; then
      continue
    fi
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$p")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "bootstrap: installing ${missing[*]}" >&2
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "bootstrap: run as root (or install sudo) to install: ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# The charting libraries that `parley report` inlines into its HTML files, at
# the versions pinned in sim/report/web/package-lock.json. Set-up time only:
# the build embeds them and never downloads.
install_web() {
  local web=sim/report/web
  # npm ci leaves node_modules/.package-lock.json; a newer lock file means
  # the pinned versions changed.
  if [ ! -f $web/node_modules/.package-lock.json ] ||
    [ $web/package-lock.json -nt $web/node_modules/.package-lock.json ]; then
    echo "bootstrap: npm ci in $web" >&2
    (cd $web && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
  fi
}

# build DIR [cmake args...]: configure (once) and build.
build() {
  local dir=$1; shift
  cmake -S . -B "$dir" -G Ninja "$@" >/dev/null
  cmake --build "$dir" -j "$JOBS"
}

case "${1:-}" in
  deps)
    install_missing "${PACKAGES[@]}" "${TEST_PACKAGES[@]}"
    install_web
    ;;
  run)
    install_missing "${PACKAGES[@]}"
    install_web
    build build/release -DCMAKE_BUILD_TYPE=Release -DPARLEY_BUILD_TESTS=OFF -DPARLEY_BUILD_BENCH=OFF
    ./build/release/sim/cli/parley run scenarios/istanbul-2025.yaml
    ;;
  test)
    install_missing "${PACKAGES[@]}" "${TEST_PACKAGES[@]}"
    install_web
    build build/release -DCMAKE_BUILD_TYPE=Release -DPARLEY_BUILD_TESTS=ON -DPARLEY_BUILD_BENCH=ON
    ctest --test-dir build/release --output-on-failure -j "$JOBS"
    # The same tests once more under AddressSanitizer + UndefinedBehaviorSanitizer,
    # built by Clang (a second compiler's view of the code), with the fuzz
    # targets as libFuzzer binaries that fuzz each reader for a bounded run.
    # Line tables are all the sanitizers' stack traces need, and compile in
    # less time than full debug information (CI has two cores).
    build build/asan -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -gline-tables-only -DNDEBUG" \
      -DPARLEY_SANITIZE=ON -DPARLEY_FUZZ=ON -DPARLEY_BUILD_TESTS=ON -DPARLEY_BUILD_BENCH=OFF
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      ctest --test-dir build/asan --output-on-failure -j "$JOBS"
    ;;
  *)
    echo "usage: scripts/bootstrap.sh run|test|deps" >&2
    exit 2
    ;;
esac
