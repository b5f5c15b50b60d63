#!/usr/bin/env bash
# Benchmark bedrock-migrate against ripgrep and ast-grep on the same generated trees.
#
#   bench/run.sh [FILES|DIR...]    default: 10000 100000
#
# For each number it generates a deterministic corpus of that many files
# (examples/gencorpus.rs, seed 1, with the noise real code has: `--noise`; BENCH_NOISE=0
# for the clean tree of earlier measurements); a directory is measured as it is (a real
# repository, or several: never commit their code). Then it times, side by side: `bedrock-migrate scan`, `bedrock-migrate diff`, ripgrep counting the
# union of all model IDs of the rules table as fixed strings (`rg -c -F -f ids.txt`), and
# ast-grep scanning string literals of the same languages with a regex rule. Wall times are
# medians of hyperfine runs (after a warm-up, so the page cache is hot for everyone; medians
# because a shared machine has outliers), ratios are of medians; peak memory comes from
# `/usr/bin/time -v`. Results go to bench/results-<N>.md and stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -gt 0 ]; then sizes=("$@"); else sizes=(10000 100000); fi
runs=${BENCH_RUNS:-5}
noise=${BENCH_NOISE:-1}

need() { command -v "$1" >/dev/null 2>&1; }
if ! need rg || ! need hyperfine || ! [ -x /usr/bin/time ]; then
  apt-get update -qq && apt-get install -y -qq ripgrep hyperfine time >/dev/null
fi
# Not `sg`: on Debian that name is shadow-utils' "switch group".
need ast-grep || pip install -q ast-grep-cli
SG=$(pyenv which ast-grep 2>/dev/null || command -v ast-grep)  # the real binary, not a pyenv shim

cargo build --release --quiet --example gencorpus
cargo build --release --quiet
BM=target/release/bedrock-migrate
work=${BENCH_DIR:-/tmp/bedrock-migrate-bench}
mkdir -p "$work"

# The union of every model ID the table knows, for ripgrep.
"$BM" rules list --format json | python3 -c 'import json,sys; print("\n".join(m["id"] for m in json.load(sys.stdin)))' > "$work/ids.txt"

for n in "${sizes[@]}"; do
  if [ -d "$n" ]; then
    corpus=$(cd "$n" && pwd)
    n=$(basename "$corpus")
  else
    if [ "$noise" = 1 ]; then flags=(--noise); n_name="$n-noisy"; else flags=(); n_name="$n"; fi
    corpus="$work/corpus-$n_name"
    if [ ! -d "$corpus" ]; then
      target/release/examples/gencorpus --files "$n" --seed 1 "${flags[@]}" "$corpus"
      # A git repository, so that every tool honours the corpus's .gitignore the same way.
      git -C "$corpus" init -q
    fi
    n=$n_name
  fi
  files=$(cd "$corpus" && rg --files | wc -l)
  bytes=$(cd "$corpus" && rg --files -0 | xargs -0 cat | wc -c)
  out="bench/results-$n.md"
  hyperfine --style none --warmup 1 --runs "$runs" -i -N --export-json "$work/h-$n.json" \
    -n "bedrock-migrate scan" "$BM scan -q --as-of 2026-11-21 $corpus" \
    -n "bedrock-migrate diff" "$BM diff --as-of 2026-11-21 --profile-prefix us $corpus" \
    -n "ripgrep (rg -c -F -f ids)" "rg -c -F -f $work/ids.txt $corpus" \
    -n "ast-grep scan" "$SG scan -c bench/ast-grep/sgconfig.yml $corpus" >/dev/null
  # How many files were parsed, against how many hold a reference.
  holding=$("$BM" scan -v --as-of 2026-11-21 "$corpus" 2>"$work/v-$n.txt" \
    | grep -o 'model references\? in [0-9]* files\?' | grep -o '[0-9]*' || true)
  walked_parsed=$(grep -o '[0-9]* files\? walked, [0-9]* parsed' "$work/v-$n.txt" || true)
  {
    echo "### $n ($files files, $((bytes / 1048576)) MiB), $(nproc) cores"
    echo
    echo "bedrock-migrate: $walked_parsed; ${holding:-0} files hold a model reference."
    echo
    python3 - "$work/h-$n.json" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
rg = next(r["median"] for r in results if r["command"].startswith("ripgrep"))
print("| command | median [s] | min [s] | max [s] | runs | median / ripgrep's |")
print("|:---|---:|---:|---:|---:|---:|")
for r in results:
    print(f"| `{r['command']}` | {r['median']:.3f} | {r['min']:.3f} | {r['max']:.3f} "
          f"| {len(r['times'])} | {r['median'] / rg:.2f} |")
PY
    echo
    echo "| command | peak RSS (MiB) |"
    echo "|:---|---:|"
    for c in "$BM scan -q --as-of 2026-11-21 $corpus" "$BM diff --as-of 2026-11-21 --profile-prefix us $corpus" \
             "rg -c -F -f $work/ids.txt $corpus" "$SG scan -c bench/ast-grep/sgconfig.yml $corpus"; do
      kb=$( (/usr/bin/time -v $c >/dev/null || true) 2>&1 | awk '/Maximum resident/ {print $6}')
      echo "| \`${c%% *} ${c#* }\` | $((kb / 1024)) |"
    done
  } > "$out"
  cat "$out"
done
