#!/usr/bin/env bash
# Proves the `ivrc-check-system` hook of .pre-commit-hooks.yaml works with a
# real pre-commit (from PyPI, in .build/test-venv, which scripts/bootstrap.sh makes).
#
#   scripts/pre-commit-test.sh [IVRC]
#
# IVRC is the ivrc binary (default: .build/debug/ivrc); its folder is put on
# PATH, as a user's installed ivrc would be. In a fresh git repository with a
# good flow, `pre-commit try-repo THIS-REPOSITORY ivrc-check-system
# --all-files` must pass; after adding a flow with an unknown target it must
# fail and show E201. Exit 1 on any failure; without pre-commit in the venv
# it prints a SKIP line and exits 77.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
ivrc=$(realpath "${1:-.build/debug/ivrc}")

. scripts/test-tools.sh
need_python pre_commit

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PATH="$(dirname "$ivrc"):$PATH"
export PRE_COMMIT_HOME="$work/cache"
export GIT_AUTHOR_NAME=test GIT_AUTHOR_EMAIL=test@example.com
export GIT_COMMITTER_NAME=test GIT_COMMITTER_EMAIL=test@example.com
repo="$work/project"
mkdir -p "$repo/flows"
cd "$repo"
git init --quiet .
cat > flows/main.yaml <<'YAML'
ivr: main
nodes:
  main-menu:
    menu:
      prompt: {say: "For sales press 1."}
      options: {"1": sales}
      on-invalid: {say: "Sorry."}
  sales: {transfer: {group: sales}}
YAML
git add -A && git commit --quiet -m good

failures=0
if out=$("$test_venv/bin/pre-commit" try-repo "$root" ivrc-check-system --all-files 2>&1); then
    echo "ok: the hook passes a good flow"
else
    echo "FAIL: the hook fails a good flow:"; echo "$out" | sed 's/^/    /'
    failures=$((failures + 1))
fi

cat > flows/broken.yaml <<'YAML'
ivr: broken
nodes:
  start: {goto: slaes}
  sales: {transfer: {group: sales}}
YAML
git add -A
if out=$("$test_venv/bin/pre-commit" try-repo "$root" ivrc-check-system --all-files 2>&1); then
    echo "FAIL: the hook passes a broken flow:"; echo "$out" | sed 's/^/    /'
    failures=$((failures + 1))
elif ! grep -q "error\[E201\]" <<<"$out"; then
    echo "FAIL: the hook fails, but does not show E201:"; echo "$out" | sed 's/^/    /'
    failures=$((failures + 1))
else
    echo "ok: the hook fails a broken flow and shows E201"
fi
echo "pre-commit-test: $failures failure(s)"
[ "$failures" -eq 0 ]
