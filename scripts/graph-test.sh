#!/usr/bin/env bash
# Renders every example's graph with Graphviz and fails on any warning.
#
#   scripts/graph-test.sh [IVRC]
#
# IVRC is the ivrc binary (default: .build/debug/ivrc, built when missing).
# Needs Graphviz (Debian's graphviz, which scripts/bootstrap.sh installs);
# without `dot` it prints a SKIP line and exits 77.
# Each example project, each of its flows (--flow) and the schema's
# every-field project are drawn as dot and rendered to SVG; dot must exit 0
# and print nothing on standard error. Mermaid output must be produced too.
# The first example is also rendered to .build/graph/<name>.png, to look at.
set -euo pipefail
cd "$(dirname "$0")/.."

ivrc=${1:-.build/debug/ivrc}
if [ ! -x "$ivrc" ]; then
    swift build --product ivrc
fi

. scripts/test-tools.sh
need_command dot graphviz

out=.build/graph
mkdir -p "$out"
failures=0
rendered=0

render() {  # render NAME ARGS...: draw and render one graph
    local name=$1
    shift
    if ! "$ivrc" graph "$@" >"$out/$name.dot" 2>"$out/$name.ivrc-stderr"; then
        echo "FAIL ivrc graph $*: $(cat "$out/$name.ivrc-stderr")"
        failures=$((failures + 1))
        return
    fi
    if ! dot -Tsvg "$out/$name.dot" -o "$out/$name.svg" 2>"$out/$name.dot-stderr" \
        || [ -s "$out/$name.dot-stderr" ]; then
        echo "FAIL dot on ivrc graph $*:"
        sed 's/^/    /' "$out/$name.dot-stderr"
        failures=$((failures + 1))
        return
    fi
    if ! "$ivrc" graph "$@" --format mermaid >"$out/$name.mmd" || ! head -1 "$out/$name.mmd" | grep -qx 'flowchart TD'; then
        echo "FAIL ivrc graph $* --format mermaid"
        failures=$((failures + 1))
        return
    fi
    rendered=$((rendered + 1))
}

first=""
for project in examples/*/ Tests/SchemaFixtures/valid/project/; do
    [ -d "$project" ] || continue
    name=$(basename "$project")
    [ -n "$first" ] || first=$name
    render "$name" "$project"
    for flow in $(grep -h '^ivr:' "$project"flows/*.yaml 2>/dev/null | awk '{print $2}'); do
        render "$name-$flow" "$project" --flow "$flow"
    done
done

if [ -n "$first" ] && [ -s "$out/$first.dot" ]; then
    dot -Tpng "$out/$first.dot" -o "$out/$first.png"
fi
echo "graph-test: $rendered graphs rendered, $failures failure(s)"
[ "$failures" -eq 0 ]
