#!/usr/bin/python3
"""Checks docs/reference/scenario.schema.json, the JSON Schema editors use for
scenario files, against Parley itself.

- Every shipped scenario (scenarios/**/*.yaml) and every `# doc-example:`
  block in docs/ passes the schema and `parley validate`: the schema must
  never reject a scenario Parley accepts, read as draft 2020-12 or as
  draft 7 (what yaml-language-server implements).
- A few forms the loader accepts that no shipped file uses (quoted numbers,
  option ids read as YAML booleans, ...) pass both too, and so does every
  random mutant of those files that `parley validate` accepts.
- Every file of tests/data/bad is listed below either as rejected by the
  schema (missing keys, unknown keys, credence above one, wrong arity, ...;
  the test fails if the schema becomes too loose) or as beyond it (cross-
  references and arithmetic that only `parley validate` checks), and Parley
  refuses each.
- The model names and model parameters in the schema are the ones
  `parley models` lists.

Run by CTest (tests/CMakeLists.txt) with PARLEY_BIN set to the parley binary.
Needs the Debian packages python3-yaml and python3-jsonschema
(scripts/bootstrap.sh test installs them).
"""

import concurrent.futures
import copy
import glob
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import unittest

try:
    import jsonschema
    import yaml
except ImportError as e:  # pragma: no cover
    sys.exit(f"FAIL: {e}: install python3-yaml and python3-jsonschema "
             "(scripts/bootstrap.sh test installs them)")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCHEMA_PATH = os.path.join(ROOT, "docs", "reference", "scenario.schema.json")
BAD_DIR = os.path.join(ROOT, "tests", "data", "bad")
PARLEY_BIN = os.environ.get("PARLEY_BIN", "")

# tests/data/bad files the schema must reject, with the mistake each makes.
REJECTED_BY_SCHEMA = {
    "actor-not-a-mapping": "an actor that is not a mapping",
    "argument-missing-credence": "missing required key `credence`",
    "argument-no-effects": "empty `effects`",
    "bad-identifier": "an id starting with a digit",
    "beta-nonpositive-shape": "beta shape 0",
    "credence-above-one": "credence 1.5",
    "credence-negative": "credence -0.1",
    "credence-word": "credence `high`",
    "distribution-non-numeric-parameter": "a word inside a distribution",
    "distribution-wrong-arity": "normal with three numbers",
    "effect-add-parameter": "a parameter name as an effect's `add`",
    "effect-two-targets": "an effect with `outcome` and `parameter`",
    "empty-options": "`options: []`",
    "list-instead-of-mapping": "a list where a mapping belongs",
    "lognormal-overflow": "lognormal mu 800",
    "mapping-instead-of-list": "`actors` as a mapping",
    "missing-required-key": "missing required key `payoffs`",
    "name-not-text": "`name` as a list",
    "nan-unquoted": "`nan` as a payoff",
    "no-actors": "`actors: []`",
    "no-outcomes": "`outcomes: []`",
    "normal-negative-sd": "normal sd -1",
    "otherwise-false": "`otherwise: false`",
    "outcome-named-unresolved": "the reserved outcome id `unresolved`",
    "outcome-two-rules": "an outcome with `when` and `otherwise`",
    "outcome-without-rule": "an outcome without a rule",
    "payoff-inf": "`.inf` as a payoff",
    "payoff-list": "a list as a payoff",
    "parameter-refers-to-parameter": "a parameter's value naming a parameter",
    "payoff-not-a-number": "`3 points` as a payoff",
    "payoff-overflow": "1e400 (not finite) as a payoff",
    "payoff-too-large": "1e308 as a payoff",
    "samples-negative": "samples -5",
    "samples-zero": "samples 0",
    "seed-fraction": "seed 1.5",
    "seq-chance-parameter": "a parameter name as a chance probability",
    "seq-chance-without-id": "a chance stage without `id`",
    "seq-stage-actor-and-chance": "a stage with `actor` and `chance`",
    "seq-threats-without-sequence": "`threats` without `sequence`",
    "too-many-actors": "33 actors",
    "unknown-actor-key": "unknown key `optons` in an actor",
    "unknown-distribution": "unknown distribution `gaussian`",
    "unknown-distribution-typo": "unknown distribution `uniorm`",
    "unknown-model": "unknown model `nash-mixd`",
    "unknown-selection": "unknown selection `random`",
    "unknown-simulation-key": "unknown key `sample` in `simulation`",
    "unknown-top-level-key": "unknown top-level key `payofs`",
    "when-any-empty": "`when_any: []`",
    "beta-shape-too-small": "a beta shape below 1e-300",
    "model-parameter-escape": "qre's lambda is a number, not text",
}

# tests/data/bad files that pass the schema: what is wrong with them needs the
# scenario's own ids, arithmetic over values, or the YAML text itself, which
# `parley validate` checks and a JSON Schema cannot.
BEYOND_SCHEMA = {
    "anchor-not-an-option": "cross-reference to an option",
    "seq-anchor": "`anchor` only without `sequence`",
    "duplicate-actor-id": "uniqueness of ids",
    "duplicate-argument-id": "uniqueness of ids",
    "duplicate-option": "uniqueness of ids",
    "duplicate-option-mapping": "uniqueness of ids",
    "duplicate-outcome-id": "uniqueness of ids",
    "duplicate-parameter": "duplicate YAML key (the YAML reader keeps the last)",
    "duplicate-top-level-key": "duplicate YAML key (the YAML reader keeps the last)",
    "duplicate-yaml-key": "duplicate YAML key (the YAML reader keeps the last)",
    "effect-unknown-outcome": "cross-reference to an outcome",
    "game-too-large": "product of the option counts",
    "missing-actor-payoff": "payoffs cover every actor (cross-reference)",
    "missing-outcome-payoff": "payoffs cover every outcome (cross-reference)",
    "outcome-after-otherwise": "`otherwise` on the last outcome only (order)",
    "payoff-nan": "`.nan` is a number to JSON Schema, and no bound excludes NaN",
    "payoff-unknown-word": "cross-reference to a parameter",
    "profile-not-covered": "coverage of every profile",
    "rules-too-large": "profiles x conditions",
    "seq-actor-instead-of-stage": "cross-reference to a stage",
    "seq-chance-drawn-without-rest": "probabilities sum to 1",
    "seq-chance-outside-unit": "a distribution's range",
    "seq-chance-sum": "probabilities sum to 1",
    "seq-chance-two-rests": "at most one `rest`",
    "seq-duplicate-stage-id": "uniqueness of ids",
    "seq-history-not-covered": "coverage of every history",
    "seq-outcome-unknown-stage": "cross-reference to a stage",
    "seq-threat-if-later-stage": "stage order",
    "seq-threat-on-chance": "cross-reference to a stage",
    "seq-threat-then-not-option": "cross-reference to an option",
    "seq-tree-too-large": "the tree's size",
    "seq-unknown-unobserved": "cross-reference to a stage",
    "seq-when-later-stage": "stage order",
    "seq-when-self": "stage order",
    "triangular-mode-outside": "low <= mode <= high",
    "uniform-low-above-high": "low <= high",
    "unknown-parameter": "cross-reference to a parameter",
    "unknown-parameter-in-effect": "cross-reference to a parameter",
    "when-actor-twice": "duplicate YAML key (the YAML reader keeps the last)",
    "when-unknown-actor": "cross-reference to an actor",
    "when-unknown-actor-typo": "cross-reference to an actor",
    "when-unknown-option": "cross-reference to an option",
    "when-unknown-option-in-list": "cross-reference to an option",
}

# tests/data/bad files that are not one YAML mapping an editor could check:
# syntax errors, several documents, nothing at all, or a non-scalar key.
NOT_A_SCENARIO_DOCUMENT = {
    "empty": "an empty file",
    "list-document": "a list, not a mapping",
    "non-scalar-key": "a mapping as a key",
    "only-comments": "no document",
    "scalar-document": "a scalar, not a mapping",
    "tab-indentation": "a YAML syntax error",
    "two-documents": "two YAML documents",
    "comma-after-block-sequence": "a YAML syntax error (yaml-cpp 0.7 looped on it)",
    "unknown-alias": "a YAML syntax error",
    "yaml-syntax-bad-indentation": "a YAML syntax error",
    "yaml-syntax-stray-bracket": "a YAML syntax error",
    "yaml-syntax-unclosed-bracket": "a YAML syntax error",
    "utf8-invalid-label": "not UTF-8 text",
    "control-character-raw": "a control character, which YAML does not allow",
}

# Forms that Parley accepts and no shipped scenario uses; each is a complete
# scenario that must pass both the schema and `parley validate`.
ACCEPTED_EDGE_CASES = {
    "correlated-arguments": """
name: Arguments sharing a worldview
actors:
  - {id: a, options: [x, y]}
outcomes:
  - {id: o1, when: {a: x}}
  - {id: o2, otherwise: true}
payoffs:
  o1: {a: 1}
  o2: {a: 0}
arguments:
  - {id: g, analyst: A, claim: C, credence: 0.5, effects: [{outcome: o1, actor: a, add: 1}]}
  - {id: h, analyst: A, claim: D, credence: 0.4, effects: [{outcome: o2, actor: a, add: 1}]}
  - {id: k, analyst: B, claim: E, credence: 0.3, effects: [{outcome: o2, actor: a, add: 1}]}
factors:
  - {id: f, description: one view, loadings: {g: 0.8, h: "-0.5"}}
  - {id: f2, loadings: {k: 1}}
correlations:
  - {between: [g, k], rho: "-0.3"}
""",
    "quoted-and-signed-numbers": """
name: "3"
actors:
  - {id: a, options: [x, y]}
parameters:
  p: {value: "0.5", description: 7}
  q: {normal: ["+1", .5]}
outcomes:
  - {id: o1, when: {a: [x]}}
  - {id: o2, otherwise: "true"}
payoffs:
  o1: {a: "+2"}
  o2: {a: -1e-3}
arguments:
  - {id: g, analyst: 1, claim: true, credence: "1", effects: [{parameter: p, add: "2"}]}
simulation: {samples: "100", seed: 18446744073709551615, model: {name: qre, lambda: "0.5"}}
""",
    "boolean-looking-ids": """
name: Booleans are words to Parley
actors:
  - {id: a, options: [true, false]}
outcomes:
  - {id: yes, when: {a: true}}
  - {id: no, otherwise: true}
payoffs:
  yes: {a: 1}
  no: {a: 0}
""",
    "beta-four-and-every-family": """
name: Every family
actors:
  - {id: a, options: [x]}
parameters:
  b4: {beta: [2, 2, -0.5, 0.5]}
  ln: {lognormal: [50, 10]}
outcomes:
  - {id: o, otherwise: true}
payoffs:
  o: {a: -b4}
modifiers:
  - {when_any: [{a: x}], add: {a: {triangular: [0, 0, 0]}}}
  - {when: {a: x}, add: {}}
arguments:
  - id: g
    analyst: A
    claim: C
    credence: 0
    effects:
      - {when: {a: x}, actor: a, add: {uniform: [1, 1]}, note: [any, note]}
      - {outcome: o, actor: a, add: {normal: [0, 0]}}
simulation: {selection: payoff-dominant, model: nash-mixed}
""",
    "sequential-corners": """
name: Sequential corners
actors:
  - {id: a, description: {not: checked}}
  - {id: b, options: [l, r]}
sequence:
  - {actor: a, options: [{id: x, label: X}, y]}
  - {id: coin, chance: {h: {beta: [1, 1]}, t: rest}, unobserved: [], when_any: [{a: x}]}
  - {actor: b, unobserved: [coin], note: 3}
outcomes:
  - {id: o, otherwise: true}
payoffs:
  o: {a: 0, b: 0}
threats:
  - {id: t, stage: b, then: l, if_any: [{a: [x, y]}]}
simulation: {model: spe}
""",
}

# Mistakes the schema catches that no file in tests/data/bad makes; each is
# applied to a valid scenario and must be refused by the schema and Parley.
BASE_SCENARIO = """
name: Base
actors:
  - {id: a, options: [x, y]}
  - {id: b, options: [x, y]}
outcomes:
  - {id: agree, when: {a: x, b: x}}
  - {id: other, otherwise: true}
payoffs:
  agree: {a: 1, b: 1}
  other: {a: 0, b: 0}
arguments:
  - id: g
    analyst: A
    claim: C
    credence: 0.5
    effects: [{outcome: agree, actor: a, add: 1}]
"""
BASE_SEQUENTIAL = """
name: Base, in turns
actors:
  - {id: a, options: [x, y]}
  - {id: b}
sequence:
  - actor: a
  - {id: coin, chance: {h: 0.5, t: rest}}
  - {actor: b, options: [l, r], when: {a: x}, unobserved: [coin]}
outcomes:
  - {id: left, when: {b: l}}
  - {id: other, otherwise: true}
payoffs:
  left: {a: 1, b: 1}
  other: {a: 0, b: 0}
threats:
  - {id: t, stage: b, then: r, if: {a: x}}
"""
BASES = {"normal": BASE_SCENARIO, "sequential": BASE_SEQUENTIAL}
# (base, path to replace or None for the whole document, value)
REJECTED_MUTATIONS = {
    "beta with three numbers": ("normal", "payoffs.agree.a", {"beta": [1, 2, 3]}),
    "uniform with one number": ("normal", "payoffs.agree.a", {"uniform": [1]}),
    "two families in one distribution": ("normal", "payoffs.agree.a",
                                         {"normal": [0, 1], "uniform": [0, 1]}),
    "lognormal sigma above 10": ("normal", "payoffs.agree.a", {"lognormal": [0, 11]}),
    "unknown key in an outcome": ("normal", "outcomes.0.lable", "Agree"),
    "unknown key in an argument": ("normal", "arguments.0.credance", 0.5),
    "unknown key in an effect": ("normal", "arguments.0.effects.0.notes", "x"),
    "effect without add": ("normal", "arguments.0.effects.0", {"outcome": "agree", "actor": "a"}),
    "outcome effect without actor": ("normal", "arguments.0.effects.0",
                                     {"outcome": "agree", "add": 1}),
    "parameter effect with actor": ("normal", "arguments.0.effects.0",
                                    {"parameter": "p", "actor": "a", "add": 1}),
    "effect with when and when_any": ("normal", "arguments.0.effects.0",
                                      {"when": {"a": "x"}, "when_any": [{"b": "x"}],
                                       "actor": "a", "add": 1}),
    "modifier without a rule": ("normal", "modifiers", [{"add": {"a": 1}}]),
    "correlation above 1": ("normal", "correlations", [{"between": ["g", "g"], "rho": 1.5}]),
    "correlation with one argument": ("normal", "correlations", [{"between": ["g"], "rho": 0.5}]),
    "correlation without rho": ("normal", "correlations", [{"between": ["g", "g"]}]),
    "loading below -1": ("normal", "factors", [{"id": "f", "loadings": {"g": -1.5}}]),
    "factor without loadings": ("normal", "factors", [{"id": "f"}]),
    "factor with empty loadings": ("normal", "factors", [{"id": "f", "loadings": {}}]),
    "normal-form actor without options": ("normal", "actors.1", {"id": "b"}),
    "model parameter of another model": ("normal", "simulation",
                                         {"model": {"name": "nash-pure", "lambda": 2}}),
    "unknown model parameter": ("normal", "simulation", {"model": {"name": "qre", "lamda": 2}}),
    "model parameter as a list": ("normal", "simulation",
                                  {"model": {"name": "qre", "lambda": [1, 2]}}),
    "samples above 2^40": ("normal", "simulation", {"samples": 2**40 + 1}),
    "identifier of 129 characters": ("normal", "outcomes.0.id", "o" * 129),
    "empty condition": ("normal", "outcomes.0.when", {}),
    "empty option list in a condition": ("normal", "outcomes.0.when", {"a": []}),
    "variant changing actors": ("normal", None, {"extends": "base.yaml", "actors": []}),
    "stage with when and when_any": ("sequential", "sequence.2.when_any", [{"a": "y"}]),
    "chance stage with options": ("sequential", "sequence.1.options", ["h", "t"]),
    "chance stage with unobserved": ("sequential", "sequence.1.unobserved", ["a"]),
    "chance probability above 1": ("sequential", "sequence.1.chance.h", 1.5),
    "stage with neither actor nor chance": ("sequential", "sequence.1", {"id": "coin"}),
    "threat with if and if_any": ("sequential", "threats.0.if_any", [{"a": "y"}]),
    "threat without then": ("sequential", "threats.0", {"id": "t", "stage": "b"}),
}


# Values that mutants put in place of a value, and keys they add: the forms
# the loader accepts somewhere and the usual mistakes.
MUTANT_VALUES = [
    0, 1, -1, 0.5, 1.5, 2, 1e9, 1e10, 2**40, 2**64 - 1, 2**64, "3", "+2", ".5", "1.", "1e3",
    "-1e3", "0x10", "inf", "x", "-x", "a.b", "_a", "a-b", "", "rest", "true", True, False, None,
    [], {}, ["a"], {"normal": [0, 1]}, {"beta": [1, 1]}, {"uniform": ["0", "1"]}, {"value": 1},
    {"name": "qre"}, {"name": "qre", "lambda": 3}, "nash-pure", "spe", "qre", "uniform",
    "payoff-dominant",
]
MUTANT_KEYS = [
    "id", "name", "label", "description", "note", "when", "when_any", "otherwise", "add", "actor",
    "outcome", "parameter", "value", "options", "chance", "unobserved", "if", "if_any", "then",
    "stage", "model", "lambda", "samples", "seed", "selection", "credence", "source", "claim",
    "analyst", "effects", "sequence", "threats", "modifiers", "arguments", "parameters", "zz",
]


def mutate(document, rng):
    """A copy of `document` with one random change: mostly a scalar replaced
    by a value from MUTANT_VALUES; else a key removed or added, a list item
    removed or repeated, or a part replaced by another part."""
    document = copy.deepcopy(document)
    nodes = []

    def walk(node, path):
        nodes.append((path, node))
        children = node.items() if isinstance(node, dict) else (
            enumerate(node) if isinstance(node, list) else [])
        for key, child in children:
            walk(child, path + [key])

    walk(document, [])

    def replace(path, value):
        parent = document
        for key in path[:-1]:
            parent = parent[key]
        parent[path[-1]] = copy.deepcopy(value)

    choice = rng.random()
    leaves = [path for path, node in nodes if path and not isinstance(node, (dict, list))]
    maps = [node for _, node in nodes if isinstance(node, dict)]
    lists = [node for _, node in nodes if isinstance(node, list) and node]
    if choice < 0.6 and leaves:
        # Half the time another scalar of the same document: an id, a number.
        pool = MUTANT_VALUES if rng.random() < 0.5 else [
            node for path, node in nodes if path and not isinstance(node, (dict, list))]
        replace(rng.choice(leaves), rng.choice(pool))
    elif choice < 0.75:
        node = rng.choice(maps)
        if node and rng.random() < 0.5:
            del node[rng.choice(sorted(node))]
        else:
            node[rng.choice(MUTANT_KEYS)] = copy.deepcopy(rng.choice(MUTANT_VALUES))
    elif choice < 0.9 and lists:
        node = rng.choice(lists)
        if rng.random() < 0.5:
            del node[rng.randrange(len(node))]
        else:
            node.append(copy.deepcopy(rng.choice(node)))
    else:
        replace(rng.choice(nodes[1:])[0], rng.choice(nodes[1:])[1])
    return document


def _core_schema_loader():
    """A PyYAML loader that reads scalars as the YAML 1.2 core schema does
    (what yaml-language-server uses): `yes`, `on` and dates stay text, `010`
    is ten, `1e3` is a number; mapping keys stay the text written."""

    class CoreLoader(yaml.SafeLoader):
        pass

    CoreLoader.yaml_implicit_resolvers = {}
    resolvers = [
        ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", list("~nN") + [""]),
        ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
        ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$",
         list("-+0123456789")),
        ("tag:yaml.org,2002:float",
         r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
         r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", list("-+0123456789.")),
    ]
    for tag, regex, first in resolvers:
        CoreLoader.add_implicit_resolver(tag, re.compile(regex), first)

    def construct_bool(loader, node):
        return loader.construct_scalar(node).lower() == "true"

    def construct_int(loader, node):
        text = loader.construct_scalar(node)
        if text.startswith("0o"):
            return int(text[2:], 8)
        if text.startswith("0x"):
            return int(text[2:], 16)
        return int(text, 10)

    def construct_float(loader, node):
        text = loader.construct_scalar(node).lower()
        if text.endswith(".inf"):
            return float("-inf") if text.startswith("-") else float("inf")
        if text == ".nan":
            return float("nan")
        return float(text)

    def construct_mapping(loader, node):
        loader.flatten_mapping(node)
        out = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                key = key_node.value
            else:
                raise yaml.constructor.ConstructorError(
                    None, None, "a mapping key that is not a scalar", key_node.start_mark)
            out[key] = loader.construct_object(value_node, deep=True)
        return out

    CoreLoader.add_constructor("tag:yaml.org,2002:bool", construct_bool)
    CoreLoader.add_constructor("tag:yaml.org,2002:int", construct_int)
    CoreLoader.add_constructor("tag:yaml.org,2002:float", construct_float)
    CoreLoader.add_constructor("tag:yaml.org,2002:map", construct_mapping)
    return CoreLoader


CORE_LOADER = _core_schema_loader()


def load_yaml(text):
    return yaml.load(text, Loader=CORE_LOADER)


def doc_examples(docs_dir):
    """The `# doc-example:` blocks of docs/**/*.md, found as
    docs/check_examples.sh finds them: (name, "FILE:LINE", text)."""
    examples = []
    paths = sorted(glob.glob(os.path.join(docs_dir, "**", "*.md"), recursive=True))
    fence = re.compile(r"^[ \t]*```yaml[ \t]*$")
    close = re.compile(r"^[ \t]*```[ \t]*$")
    for path in paths:
        rel = os.path.relpath(path, docs_dir)
        in_block = False
        with open(path, encoding="utf-8") as f:
            for number, raw in enumerate(f.read().split("\n"), start=1):
                if not in_block:
                    if fence.match(raw):
                        in_block, first, body, start = True, True, [], number
                        is_example, name = False, ""
                        indent = raw[:raw.index("```yaml")]
                    continue
                line = raw[len(indent):] if indent and raw.startswith(indent) else raw
                if close.match(line):
                    if is_example:
                        examples.append((name, f"{rel}:{start}", "".join(body)))
                    in_block = False
                    continue
                if first:
                    first = False
                    if line.startswith("# doc-example:"):
                        is_example, name = True, line[len("# doc-example:"):].strip()
                body.append(line + "\n")
    return examples


def parley_validate(path):
    # The 40-round bargaining scenarios take seconds (more under sanitizers).
    proc = subprocess.run([PARLEY_BIN, "validate", path], capture_output=True, text=True,
                          timeout=540)
    return proc.returncode, (proc.stdout + proc.stderr).strip()


def schema_errors(validator, instance):
    """The schema's complaints, one line each (empty when it accepts)."""
    lines = []
    for error in sorted(validator.iter_errors(instance), key=lambda e: [str(p) for p in e.absolute_path]):
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        lines.append(f"{where}: {error.message[:200]}")
    return lines


def set_path(document, path, value):
    """Sets document[a][b]... for path "a.b..." (list indices as numbers)."""
    keys = path.split(".")
    node = document
    for key in keys[:-1]:
        node = node[int(key)] if isinstance(node, list) else node[key]
    last = keys[-1]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value


class ScenarioSchemaTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with open(SCHEMA_PATH, encoding="utf-8") as f:
            cls.schema = json.load(f)
        jsonschema.Draft202012Validator.check_schema(cls.schema)
        cls.validator = jsonschema.Draft202012Validator(cls.schema)
        # yaml-language-server (VS Code's YAML extension) implements draft 7:
        # read as draft 7, the schema must not reject a valid scenario either.
        cls.validator_draft7 = jsonschema.Draft7Validator(cls.schema)
        cls.work = tempfile.TemporaryDirectory(prefix="parley-schema-")

    @classmethod
    def tearDownClass(cls):
        cls.work.cleanup()

    def write(self, name, text):
        path = os.path.join(self.work.name, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def check_accepted(self, cases):
        """Both the schema and `parley validate` accept every (label, path,
        text) case. Parley runs on two cases at a time: a long sequential
        scenario takes seconds to validate."""
        problems = []
        for label, _, text in cases:
            for validator, draft in ((self.validator, "2020-12"), (self.validator_draft7, "7")):
                errors = schema_errors(validator, load_yaml(text))
                if errors:
                    problems.append(f"{label}: the schema (read as draft {draft}) rejects a "
                                    "scenario Parley should accept:\n    " + "\n    ".join(errors))
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            results = list(pool.map(parley_validate, [path for _, path, _ in cases]))
        for (label, _, _), (rc, out) in zip(cases, results):
            if rc != 0:
                problems.append(f"{label}: parley validate refuses it (exit {rc}):\n    {out}")
        return problems

    def test_shipped_scenarios_pass(self):
        paths = sorted(glob.glob(os.path.join(ROOT, "scenarios", "**", "*.yaml"), recursive=True))
        self.assertGreaterEqual(len(paths), 10, "expected the shipped scenarios under scenarios/")
        cases = []
        for path in paths:
            with open(path, encoding="utf-8") as f:
                cases.append((os.path.relpath(path, ROOT), path, f.read()))
        problems = self.check_accepted(cases)
        self.assertEqual(problems, [], "\n".join(problems))

    def test_doc_examples_pass(self):
        examples = doc_examples(os.path.join(ROOT, "docs"))
        self.assertGreaterEqual(len(examples), 5, "expected `# doc-example:` blocks in docs/")
        cases = []
        for i, (name, where, text) in enumerate(examples):
            path = self.write(f"example-{i:03d}.yaml", text)
            cases.append((f"docs/{where} ({name})", path, text))
        problems = self.check_accepted(cases)
        self.assertEqual(problems, [], "\n".join(problems))

    def test_accepted_edge_cases_pass(self):
        cases = []
        for name, text in ACCEPTED_EDGE_CASES.items():
            path = self.write(f"edge-{name}.yaml", text)
            cases.append((f"edge case {name}", path, text))
        problems = self.check_accepted(cases)
        self.assertEqual(problems, [], "\n".join(problems))

    def test_every_bad_file_is_classified(self):
        names = {os.path.basename(p)[:-len(".yaml")]
                 for p in glob.glob(os.path.join(BAD_DIR, "*.yaml"))}
        lists = [REJECTED_BY_SCHEMA, BEYOND_SCHEMA, NOT_A_SCENARIO_DOCUMENT]
        listed = set().union(*lists)
        self.assertEqual(sum(len(x) for x in lists), len(listed), "a file is listed twice")
        self.assertEqual(sorted(names - listed), [],
                         "tests/data/bad files missing from the lists in this test: add each "
                         "to REJECTED_BY_SCHEMA if the schema can catch it, else BEYOND_SCHEMA")
        self.assertEqual(sorted(listed - names), [], "listed files that do not exist")

    def test_bad_files_rejected_by_schema(self):
        problems = []
        for name, mistake in sorted(REJECTED_BY_SCHEMA.items()):
            path = os.path.join(BAD_DIR, name + ".yaml")
            with open(path, encoding="utf-8") as f:
                document = load_yaml(f.read())
            if not schema_errors(self.validator, document):
                problems.append(f"{name}.yaml ({mistake}): the schema accepts it")
            rc, out = parley_validate(path)
            if rc != 2:
                problems.append(f"{name}.yaml: parley validate exits {rc}, not 2: {out}")
        self.assertEqual(problems, [], "the schema is too loose:\n" + "\n".join(problems))

    def test_bad_files_beyond_schema(self):
        # The schema accepts these (they are beyond it); if it starts to catch
        # one, move that file to REJECTED_BY_SCHEMA so that it stays caught.
        problems = []
        for name, reason in sorted(BEYOND_SCHEMA.items()):
            path = os.path.join(BAD_DIR, name + ".yaml")
            with open(path, encoding="utf-8") as f:
                errors = schema_errors(self.validator, load_yaml(f.read()))
            if errors:
                problems.append(f"{name}.yaml: now rejected by the schema ({errors[0]}); "
                                "move it to REJECTED_BY_SCHEMA")
            rc, out = parley_validate(path)
            if rc != 2:
                problems.append(f"{name}.yaml: parley validate exits {rc}, not 2: {out}")
        self.assertEqual(problems, [], "\n".join(problems))

    def test_not_a_scenario_document(self):
        problems = []
        for name in sorted(NOT_A_SCENARIO_DOCUMENT):
            path = os.path.join(BAD_DIR, name + ".yaml")
            with open(path, "rb") as f:
                data = f.read()
            try:
                documents = list(yaml.load_all(data.decode("utf-8"), Loader=CORE_LOADER))
            except (yaml.YAMLError, UnicodeDecodeError):
                documents = None  # an editor shows the syntax or encoding error
            if documents is not None and len(documents) == 1 and documents[0] is not None:
                if not schema_errors(self.validator, documents[0]):
                    problems.append(f"{name}.yaml: one document that the schema accepts")
            rc, out = parley_validate(path)
            if rc != 2:
                problems.append(f"{name}.yaml: parley validate exits {rc}, not 2: {out}")
        self.assertEqual(problems, [], "\n".join(problems))

    def test_mutations_rejected(self):
        problems = []
        for base, text in BASES.items():
            self.assertEqual(schema_errors(self.validator, load_yaml(text)), [], base)
            rc, out = parley_validate(self.write(f"base-{base}.yaml", text))
            self.assertEqual(rc, 0, f"base {base}: {out}")
        for i, (mistake, (base, path, value)) in enumerate(sorted(REJECTED_MUTATIONS.items())):
            document = load_yaml(BASES[base])
            if path is None:
                document = copy.deepcopy(value)
            else:
                set_path(document, path, value)
            if not schema_errors(self.validator, document):
                problems.append(f"{mistake}: the schema accepts it")
            # JSON is YAML: Parley must refuse the same document.
            file = self.write(f"mutation-{i:03d}.yaml", json.dumps(document))
            rc, out = parley_validate(file)
            if rc != 2:
                problems.append(f"{mistake}: parley validate exits {rc}, not 2: {out}")
        self.assertEqual(problems, [], "\n".join(problems))

    def test_mutants_parley_accepts_pass_schema(self):
        # Differential check: random mutants (one change each) of the small
        # shipped scenarios, the doc examples, the edge cases and the shipped
        # variants (extending a copy of their base); every mutant that
        # `parley validate` accepts must pass the schema under both drafts.
        seeds = []
        for path in sorted(glob.glob(os.path.join(ROOT, "scenarios", "**", "*.yaml"),
                                     recursive=True)):
            with open(path, encoding="utf-8") as f:
                document = load_yaml(f.read())
            if "extends" in document:
                document["extends"] = "base.yaml"
            elif "bargaining" in path:
                continue  # seconds per validation
            seeds.append(document)
        seeds += [load_yaml(text) for _, _, text in doc_examples(os.path.join(ROOT, "docs"))]
        seeds += [load_yaml(text) for text in ACCEPTED_EDGE_CASES.values()]
        with open(os.path.join(ROOT, "scenarios", "istanbul-2025.yaml"), encoding="utf-8") as f:
            self.write("base.yaml", f.read())
        rng = random.Random(20261202)
        mutants = []
        for i in range(600):
            document = mutate(rng.choice(seeds), rng)
            text = json.dumps(document)  # JSON is YAML
            mutants.append((text, self.write(f"mutant-{i:03d}.yaml", text)))
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            results = list(pool.map(parley_validate, [path for _, path in mutants]))
        accepted, problems = 0, []
        for (text, _), (rc, _) in zip(mutants, results):
            if rc != 0:
                continue
            accepted += 1
            for validator, draft in ((self.validator, "2020-12"), (self.validator_draft7, "7")):
                errors = schema_errors(validator, load_yaml(text))
                if errors:
                    problems.append(f"Parley accepts, the schema (draft {draft}) rejects:\n    "
                                    f"{text}\n    " + "\n    ".join(errors))
        self.assertGreaterEqual(accepted, 80, "too few accepted mutants to test anything")
        self.assertEqual(problems, [], "\n".join(problems))

    def test_models_match_parley_models(self):
        out = subprocess.run([PARLEY_BIN, "models"], capture_output=True, text=True,
                             check=True).stdout
        models = {}
        for line in out.splitlines():
            if not line.strip():
                continue
            if not line[0].isspace():
                current = line.split()[0]
                models[current] = set()
            else:
                m = re.match(r"^\s+([A-Za-z_][A-Za-z0-9_.-]*)=", line)
                if m:
                    models[current].add(m.group(1))
        self.assertTrue(models, "parley models listed nothing")
        defs = self.schema["$defs"]
        self.assertEqual(sorted(defs["modelName"]["enum"]), sorted(models),
                         "the schema's model names differ from `parley models`")
        all_parameters = set().union(*models.values())
        for model, parameters in models.items():
            for parameter in all_parameters | {"no_such_parameter"}:
                document = load_yaml(BASE_SCENARIO)
                # A value of the parameter's type: its first word for a choice,
                # else 1 or, where 1 is out of its range, its largest value.
                prop = defs["modelSettings"]["properties"].get(parameter, {})
                number = next((a for a in prop.get("anyOf", []) if a.get("type") in
                               ("number", "integer")), {})
                value = (prop["enum"][0] if "enum" in prop else
                         min(1, number.get("maximum", 1)))
                document["simulation"] = {"model": {"name": model, parameter: value}}
                accepted = not schema_errors(self.validator, document)
                self.assertEqual(accepted, parameter in parameters,
                                 f"schema on model {model} with parameter {parameter}")

    def test_selections_accepted_by_parley(self):
        for selection in self.schema["$defs"]["simulation"]["properties"]["selection"]["enum"]:
            document = load_yaml(BASE_SCENARIO)
            document["simulation"] = {"selection": selection}
            path = self.write(f"selection-{selection}.yaml", json.dumps(document))
            rc, out = parley_validate(path)
            self.assertEqual(rc, 0, f"selection {selection}: {out}")

    def test_every_property_has_a_title_and_description(self):
        # Editors show `title` and `description` on hover and in completions;
        # a property that refers to a definition shows the definition's.
        missing = []
        defs = self.schema["$defs"]

        def walk(node, where):
            if isinstance(node, dict):
                for key, sub in node.get("properties", {}).items():
                    if not isinstance(sub, dict):
                        continue
                    ref = sub.get("$ref", "")
                    target = defs.get(ref.rsplit("/", 1)[-1], {}) if ref else {}
                    for annotation in ("title", "description"):
                        if annotation not in sub and annotation not in target:
                            missing.append(f"{where}/properties/{key}: no {annotation}")
                for key, sub in node.items():
                    # if/then/else only narrow properties described elsewhere.
                    if key not in ("if", "then", "else"):
                        walk(sub, f"{where}/{key}")
            elif isinstance(node, list):
                for i, sub in enumerate(node):
                    walk(sub, f"{where}/{i}")

        walk(self.schema, "#")
        self.assertEqual(missing, [])


if __name__ == "__main__":
    if not PARLEY_BIN or not os.access(PARLEY_BIN, os.X_OK):
        sys.exit("FAIL: set PARLEY_BIN to the parley binary (CTest does)")
    unittest.main(verbosity=2)
