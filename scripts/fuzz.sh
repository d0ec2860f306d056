#!/usr/bin/env bash
# Builds a libFuzzer target of the Fuzz/ package with AddressSanitizer and runs it.
#   scripts/fuzz.sh [TARGET] [SECONDS]     e.g. scripts/fuzz.sh FuzzFrontEnd 600
# TARGET: FuzzFrontEnd (default) or FuzzBundle. The corpus starts from the
# examples and the check fixtures (FuzzBundle: the examples built into
# .build/fuzz-seeds/, with and without --strip); crashes are written to
# fuzz-artifacts/TARGET/.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:-FuzzFrontEnd}
seconds=${2:-60}
if [ "$target" = FuzzBundle ]; then
  swift build --product ivrc >/dev/null
  ivrc=$(swift build --show-bin-path)/ivrc
  mkdir -p .build/fuzz-seeds
  for project in examples/*/; do
    name=$(basename "$project")
    "$ivrc" build "$project" -o ".build/fuzz-seeds/$name.ivrb" >/dev/null
    "$ivrc" build "$project" --strip -o ".build/fuzz-seeds/$name-stripped.ivrb" >/dev/null
  done
fi
swift build --package-path Fuzz -c release --product "$target" \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -use-ld=lld >/dev/null
bin=$(swift build --package-path Fuzz -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld --show-bin-path)/$target
corpus=.build/fuzz-corpus/$target
mkdir -p "$corpus" "fuzz-artifacts/$target"
case $target in
  FuzzFrontEnd) find examples Tests/IVRCheckTests/Fixtures -name '*.yaml' -exec cp {} "$corpus/" \; 2>/dev/null || true ;;
  FuzzBundle) find .build/fuzz-seeds -name '*.ivrb' -exec cp {} "$corpus/" \; 2>/dev/null || true ;;
esac
"$bin" "$corpus" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="fuzz-artifacts/$target/" -print_final_stats=1 2>&1 | tail -25
