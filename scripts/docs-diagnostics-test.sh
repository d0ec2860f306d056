#!/usr/bin/env bash
# Runs the wrong and fixed examples of docs/diagnostics.md through ivrc check.
#
#   scripts/docs-diagnostics-test.sh [IVRC]
#
# IVRC is the ivrc binary (default: .build/debug/ivrc). Each `### CODE`
# section of docs/diagnostics.md has blocks fenced as ```yaml wrong and
# ```yaml fixed (GitHub shows them as plain YAML). A block is one project:
# `# file: PATH` lines start its files (before any, the text is
# flows/main.yaml); a `.wav` file is written as 0.1 s of silence in the
# format its comment names (`# 44100 Hz stereo`, default 8000 Hz mono), or,
# when its first line is `# not audio`, as the text of its other lines.
# Each wrong block must give exactly that code (and no other), each fixed
# block must check clean; every section needs one of each. A plain ``` block
# in a section that starts like a diagnostic (`flows/main.yaml:4:1: error[...`)
# is a sample of the output: `ivrc check --color never` must print exactly
# those lines for one of the section's wrong blocks.
# Prints `ok CODE` per section that holds, `FAIL ...` otherwise; exit 1 on
# any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
ivrc=${1:-.build/debug/ivrc}
exec python3 - "$(realpath "$ivrc")" <<'PY'
import json, os, re, subprocess, sys, tempfile, wave

ivrc = sys.argv[1]
text = open("docs/diagnostics.md", encoding="utf-8").read()
sections = re.split(r"^### ([EW][0-9]{3})\b[^\n]*\n", text, flags=re.M)
fence = re.compile(r"^```yaml (wrong|fixed)\n(.*?)^```$", re.M | re.S)
sample_fence = re.compile(r"^```\n(flows/[^\n]*:[0-9]+:[0-9]+: (?:error|warning)\[.*?)^```$", re.M | re.S)
failures = []

def write_project(root, block):
    files, current = {}, "flows/main.yaml"
    for line in block.splitlines(keepends=True):
        marker = re.match(r"^# file: (\S+)\s*$", line)
        if marker:
            current = marker.group(1)
            files.setdefault(current, "")
        else:
            files[current] = files.get(current, "") + line
    for path, body in files.items():
        full = os.path.join(root, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        if path.endswith((".wav", ".pcm")) and body.startswith("# not audio\n"):
            with open(full, "w", encoding="utf-8") as f:
                f.write(body[len("# not audio\n"):])
        elif path.endswith(".wav"):
            rate = re.search(r"([0-9]+) Hz", body)
            channels = 2 if "stereo" in body else 1
            with wave.open(full, "wb") as w:
                w.setnchannels(channels)
                w.setsampwidth(2)
                w.setframerate(int(rate.group(1)) if rate else 8000)
                w.writeframes(b"\0\0" * channels * (w.getframerate() // 10))
        elif body.strip():
            with open(full, "w", encoding="utf-8") as f:
                f.write(body)

def codes(block):
    """The (code, message) pairs `ivrc check` finds in the block, an error
    text or None, and the human output."""
    with tempfile.TemporaryDirectory(prefix="ivrc-docs-") as root:
        write_project(root, block)
        run = subprocess.run([ivrc, "check", "--format", "json", "."], cwd=root,
                             capture_output=True, text=True)
        human = subprocess.run([ivrc, "check", "--color", "never", "."], cwd=root,
                               capture_output=True, text=True).stdout
        try:
            report = json.loads(run.stdout)
        except ValueError:
            return None, f"exit {run.returncode}, no JSON: {run.stdout}{run.stderr}", human
        return [(d["code"], d["message"]) for d in report["diagnostics"]], None, human

for index in range(1, len(sections), 2):
    code, body = sections[index], sections[index + 1]
    blocks = fence.findall(body)
    kinds = [kind for kind, _ in blocks]
    problems = []
    if "wrong" not in kinds or "fixed" not in kinds:
        problems.append(f"needs a ```yaml wrong and a ```yaml fixed block, has {kinds}")
    outputs = []
    for number, (kind, block) in enumerate(blocks, 1):
        found, error, human = codes(block)
        if kind == "wrong":
            outputs.append(human)
        if error:
            problems.append(f"{kind} block {number}: {error}")
        elif kind == "wrong" and sorted({c for c, _ in found}) != [code]:
            problems.append(f"wrong block {number} gives {found}, not exactly {code}")
        elif kind == "fixed" and found:
            problems.append(f"fixed block {number} is not clean: {found}")
    # A sample of the output (a plain ``` block starting `flows/...:L:C:
    # error[CODE]: ...`) is printed, exactly, for one of the wrong blocks.
    for sample in sample_fence.findall(body):
        if not any(sample in output for output in outputs):
            problems.append("this sample output is not what `ivrc check` prints for any wrong block:\n"
                            + sample + "    it prints:\n" + "\n".join(outputs))
    if problems:
        failures.append(code)
        print(f"FAIL {code}:\n    " + "\n    ".join(problems))
    else:
        print(f"ok {code} ({len(blocks)} examples)")
print(f"docs-diagnostics-test: {len(sections) // 2} codes, {len(failures)} failure(s)")
sys.exit(1 if failures else 0)
PY
