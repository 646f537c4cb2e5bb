#!/usr/bin/env bash
# make bench: lambdalab's own benchmarks, CI-sized (about two minutes on 2 cores), figures printed.
#   1. microbenchmarks of the hot paths (build/bench_micro): invoke routing, the Runtime API round trip,
#      store writes, the lab's statistics
#   2. the emulator through its public API (build/bench_emulator): warm invoke latency and throughput,
#      C++ cold start, the lab runner's stored invocations per second
#   3. the lab end to end: bench/suites/throughput.json (runner throughput into SQLite) and
#      bench/suites/ci.json, each run in-process into a scratch store
# Usage: scripts/run-bench.sh [BUILD_DIR]   (default build; needs the bench_all target built)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
for binary in "$build/bench_micro" "$build/bench_emulator" "$build/lambdalab"; do
  [[ -x $binary ]] || { echo "run-bench: $binary is missing; build the bench_all target first" >&2; exit 1; }
done
data=$(mktemp -d /var/tmp/lambdalab-bench.XXXXXX)
trap 'rm -rf "$data"' EXIT

section() { printf '\n== %s\n' "$1"; }

section "microbenchmarks (bench/micro)"
"$build/bench_micro" --benchmark_min_time=0.1

section "the emulator (bench/emulator_bench.cpp)"
"$build/bench_emulator" --benchmark_filter='WarmInvoke|ColdStart/cpp|LabRunner'

section "lab: runner throughput into SQLite (bench/suites/throughput.json)"
"$build/lambdalab" bench bench/suites/throughput.json --data-dir "$data" | tail -n 4
# Every measured invocation has its row: the store is the measurement.
python3 - "$data/lambdalab.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
(run,) = db.execute("SELECT max(id) FROM runs").fetchone()
rows = dict(db.execute("SELECT variant, count(*) FROM invocations WHERE run_id = ? GROUP BY variant", (str(run),)))
samples = db.execute("SELECT count(*) FROM client_samples WHERE run_id = ?", (run,)).fetchone()[0]
print(f"stored: {rows.get('c8', 0)} + {rows.get('c32', 0)} invocation rows, {samples} client samples")
if rows.get("c8") != 20000 or rows.get("c32") != 20000 or samples != 40000:
    sys.exit("run-bench: rows are missing")
PY

section "lab: CI-sized suite (bench/suites/ci.json)"
"$build/lambdalab" bench bench/suites/ci.json --data-dir "$data" | tail -n 3
