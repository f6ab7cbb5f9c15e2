"""Tests for scenario.py: schema completeness, loading, overrides and every error kind."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel

from swarmsim import scenario as schema
from swarmsim.errors import ScenarioError
from swarmsim.scenario import apply_overrides, load_scenario, read_yaml, scenario_json_schema
from swarmsim.schema import Spec

ROOT = Path(__file__).resolve().parents[1]
MINIMAL = {"firms": [{"name": "A"}]}

# Fields without a default: what a scenario must name itself (the discriminating
# `kind` of a graph or distribution other than the default one, file paths, block
# sizes, degree sequences, firm and institution names, institution kinds, the firms).
REQUIRED = {
    ("ErdosRenyiGraph", "kind"),
    ("WattsStrogatzGraph", "kind"),
    ("StochasticBlockGraph", "kind"),
    ("StochasticBlockGraph", "sizes"),
    ("ConfigurationGraph", "kind"),
    ("ConfigurationGraph", "degrees"),
    ("CompleteGraph", "kind"),
    ("EdgeListGraph", "kind"),
    ("EdgeListGraph", "path"),
    ("GraphMLGraph", "kind"),
    ("GraphMLGraph", "path"),
    ("UniformDistribution", "kind"),
    ("NormalDistribution", "kind"),
    ("BetaDistribution", "kind"),
    ("FirmSpec", "name"),
    ("InstitutionBase", "name"),
    ("ConsumerProtectionSpec", "name"),
    ("ConsumerProtectionSpec", "kind"),
    ("ChurchSpec", "name"),
    ("ChurchSpec", "kind"),
    ("CitizenInitiativeSpec", "name"),
    ("CitizenInitiativeSpec", "kind"),
    ("CharityFoundationSpec", "name"),
    ("CharityFoundationSpec", "kind"),
    ("ProfessionalAssociationSpec", "name"),
    ("ProfessionalAssociationSpec", "kind"),
    ("Scenario", "firms"),
    ("Misconduct", "kind"),
    ("Misconduct", "firm"),
    ("SetParameter", "kind"),
    ("SetParameter", "path"),
    ("SetParameter", "value"),
    ("StartCampaign", "kind"),
    ("StartCampaign", "institution"),
    ("StartCampaign", "firm"),
    ("StopCampaign", "kind"),
    ("StopCampaign", "institution"),
    ("StopCampaign", "firm"),
    ("FoundInstitution", "kind"),
    ("FoundInstitution", "institution"),
    ("SeedConsumers", "kind"),
    ("SeedConsumers", "count"),
    ("Condition", "firm"),
    ("Condition", "measure"),
    ("EventSpec", "action"),
}


def schema_models() -> list[type[BaseModel]]:
    """Every pydantic model reachable from Scenario (all subclasses of the base spec)."""
    found, todo = [], [Spec]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return [cls for cls in found if cls is not Spec]


def test_schema_models_cover_every_section():
    names = {cls.__name__ for cls in schema_models()}
    assert {
        "Scenario",
        "FirmSpec",
        "InstitutionBase",
        "ChurchSpec",
        "SanctionSpec",
        "TriggerSpec",
        "MembershipSpec",
        "ConsumerSpec",
        "RoleSpec",
        "PhaseSwitches",
        "BetaDistribution",
    } <= names
    assert len(names) >= 28


def is_discriminator(cls: type[BaseModel], name: str) -> bool:
    """The ``kind`` tag of a graph or distribution (its class docstring describes it)."""
    return name == "kind" and cls.__name__.endswith(("Graph", "Distribution", "Value"))


def test_every_field_has_a_description_and_a_default_except_the_required_ones():
    required = set()
    for cls in schema_models():
        for name, field in cls.model_fields.items():
            if not is_discriminator(cls, name):
                assert (field.description or "").strip(), f"{cls.__name__}.{name}"
            if field.is_required():
                required.add((cls.__name__, name))
    assert required == REQUIRED


def test_discriminator_kinds_have_descriptions():
    undescribed = [
        cls.__name__
        for cls in schema_models()
        if "kind" in cls.model_fields
        and is_discriminator(cls, "kind")
        and not cls.model_fields["kind"].description
    ]
    assert undescribed == []


def test_every_number_has_a_range_check():
    for cls in schema_models():
        for name, field in cls.model_fields.items():
            if field.annotation in (int, float, int | None, float | None):
                bounds = [m for m in field.metadata if type(m).__name__ in ("Ge", "Gt", "Le", "Lt")]
                assert bounds, f"{cls.__name__}.{name} has no range check"


def test_models_forbid_extra_keys_and_are_frozen():
    for cls in schema_models():
        assert cls.model_config.get("extra") == "forbid", cls.__name__
        assert cls.model_config.get("frozen"), cls.__name__
    spec = load_scenario(MINIMAL)
    with pytest.raises(ValueError, match="frozen"):
        spec.steps = 3


def test_defaults_fill_a_minimal_scenario():
    spec = load_scenario(MINIMAL)
    assert spec.graph.kind == "barabasi_albert"
    assert spec.graph.n == 10_000
    firm = spec.firms[0]
    assert (firm.strategy, firm.manipulation) == ("customer_centric", 0.0)
    assert spec.institutions == []
    assert spec.adaptation.rule == "fixed"
    assert spec.consumers.threshold.kind == "beta"


def test_strategy_sets_manipulation_and_mixed_defaults_to_one_half():
    firms = [
        {"name": "M", "strategy": "manipulative"},
        {"name": "X", "strategy": "mixed"},
        {"name": "Y", "strategy": "mixed", "manipulation": 0.2},
        {"name": "C", "strategy": "customer_centric", "manipulation": 0.0},
    ]
    spec = load_scenario({"firms": firms})
    assert [f.manipulation for f in spec.firms] == [1.0, 0.5, 0.2, 0.0]


def test_a_number_is_a_fixed_distribution():
    spec = load_scenario({**MINIMAL, "consumers": {"threshold": 0.3, "peer_trust": 1}})
    assert spec.consumers.threshold == schema.FixedValue(value=0.3)
    assert spec.consumers.peer_trust == schema.FixedValue(value=1.0)


def test_resolved_scenario_round_trips():
    spec = load_scenario(ROOT / "scenarios" / "baseline.yaml")
    again = load_scenario(spec.to_dict())
    assert again == spec
    assert json.loads(json.dumps(spec.to_dict())) == spec.to_dict()


@pytest.mark.parametrize("path", sorted((ROOT / "scenarios").rglob("*.yaml")), ids=lambda p: p.name)
def test_shipped_scenarios_are_valid_and_open_with_a_comment(path):
    spec = load_scenario(path)
    assert spec.name
    assert path.read_text(encoding="utf-8").startswith("#")


def test_graph_paths_are_resolved_against_the_scenario_file(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "g.txt").write_text("0 1\n1 2\n")
    (tmp_path / "s.yaml").write_text(
        yaml.safe_dump({**MINIMAL, "graph": {"kind": "edge_list", "path": "data/g.txt"}})
    )
    spec = load_scenario(tmp_path / "s.yaml")
    assert Path(spec.graph.path) == (tmp_path / "data" / "g.txt").resolve()


# ------------------------------------------------------------------ unknown keys

NESTED = [
    (),
    ("graph",),
    ("consumers",),
    ("consumers", "mavens"),
    ("consumers", "alphas"),
    ("consumers", "threshold"),
    ("consumers", "peer_trust"),
    ("firms", 0),
    ("institutions", 0),
    ("institutions", 0, "members"),
    ("institutions", 0, "trigger"),
    ("advertising",),
    ("purchase",),
    ("experience",),
    ("exposure",),
    ("word_of_mouth",),
    ("boycott",),
    ("seeding",),
    ("adaptation",),
    ("phases",),
]

FULL = {
    "firms": [{"name": "A"}],
    "graph": {"kind": "erdos_renyi", "n": 100},
    "consumers": {
        "mavens": {"share": 0.1},
        "alphas": {"share": 0.1},
        "threshold": {"kind": "uniform"},
        "peer_trust": {"kind": "beta"},
    },
    "institutions": [
        {"name": "I", "kind": "church", "members": {"share": 0.1}, "trigger": {"level": 0.2}}
    ],
    **{
        section: {}
        for section in (
            "advertising",
            "purchase",
            "experience",
            "exposure",
            "word_of_mouth",
            "boycott",
            "seeding",
            "adaptation",
            "phases",
        )
    },
}


def error(data, **kw) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        load_scenario(data, **kw)
    message = str(info.value)
    assert "\n" not in message  # one line
    return info.value


def test_the_full_fixture_is_valid():
    load_scenario(FULL)


@pytest.mark.parametrize("path", NESTED, ids=lambda p: ".".join(map(str, p)) or "top")
def test_unknown_keys_are_rejected_at_every_level(path):
    data = copy.deepcopy(FULL)
    node = data
    for part in path:
        node = node[part]
    node["bogus"] = 1
    exc = error(data)
    assert exc.field == ".".join([*map(str, path), "bogus"])
    assert "unknown key" in str(exc)


# ------------------------------------------------------------------ error kinds

ERRORS = [
    # (id, scenario dict, field, fragment of the message)
    (
        "wrong type",
        {"firms": [{"name": "A", "quality": "high"}]},
        "firms.0.quality",
        "valid number",
    ),
    ("wrong type int", {**MINIMAL, "steps": 2.5}, "steps", "valid integer"),
    (
        "wrong type bool",
        {"firms": [{"name": "A", "adaptive": "maybe"}]},
        "firms.0.adaptive",
        "valid boolean",
    ),
    (
        "out of range",
        {"firms": [{"name": "A", "price": -1}]},
        "firms.0.price",
        "greater than or equal to 0 (got -1)",
    ),
    (
        "out of range above",
        {**MINIMAL, "consumers": {"information_parity": 1.5}},
        "consumers.information_parity",
        "less than or equal to 1",
    ),
    ("missing firms", {}, "firms", "required field is missing"),
    ("boolean steps", {**MINIMAL, "steps": True}, "steps", "got a boolean"),
    (
        "boolean in a list item",
        {"firms": [{"name": "A"}, {"name": "B", "price": False}]},
        "firms.1.price",
        "got a boolean",
    ),
    (
        "boolean in a distribution",
        {**MINIMAL, "consumers": {"threshold": {"kind": "beta", "concentration": True}}},
        "consumers.threshold.concentration",
        "got a boolean",
    ),
    (
        "boolean in an institution kind's section",
        {**MINIMAL,
         "institutions": [{"name": "I", "kind": "church", "appeal": {"half_life": True}}]},
        "institutions.0.appeal.half_life",
        "got a boolean",
    ),
    (
        "infinite float",
        {**MINIMAL, "consumers": {"threshold": {"kind": "beta", "concentration": float("inf")}}},
        "consumers.threshold.concentration",
        "finite number",
    ),
    ("nan cost", {"firms": [{"name": "A", "fixed_cost": float("nan")}]}, "firms.0.fixed_cost",
     "finite number"),
    ("missing name", {"firms": [{"price": 1}]}, "firms.0.name", "required field is missing"),
    (
        "missing kind",
        {**MINIMAL, "institutions": [{"name": "I"}]},
        "institutions.0.kind",
        "required field is missing",
    ),
    ("no firms", {"firms": []}, "firms", "at least 1 item"),
    (
        "bad choice",
        {**MINIMAL, "institutions": [{"name": "I", "kind": "mafia"}]},
        "institutions.0.kind",
        "'church'",
    ),
    (
        "bad graph kind",
        {**MINIMAL, "graph": {"kind": "lattice"}},
        "graph.kind",
        "'barabasi_albert'",
    ),
    (
        "duplicate firm",
        {"firms": [{"name": "A"}, {"name": "B"}, {"name": "A"}]},
        "firms.2.name",
        "duplicate firm name 'A'",
    ),
    (
        "duplicate institution",
        {
            **MINIMAL,
            "institutions": [{"name": "I", "kind": "church"}, {"name": "I", "kind": "church"}],
        },
        "institutions.1.name",
        "duplicate institution name 'I'",
    ),
    (
        "unknown target",
        {**MINIMAL, "institutions": [{"name": "I", "kind": "church", "targets": ["A", "Z"]}]},
        "institutions.0.targets",
        "firm 'Z' does not exist (firms: A)",
    ),
    (
        "contradictory strategy",
        {"firms": [{"name": "A", "strategy": "manipulative", "manipulation": 0.5}]},
        "firms.0",
        "contradicts strategy 'manipulative'",
    ),
    (
        "hysteresis",
        {**MINIMAL, "boycott": {"join_opinion": 0.3, "leave_opinion": 0.1}},
        "boycott",
        "leave_opinion must be >= join_opinion",
    ),
    (
        "role shares",
        {**MINIMAL, "consumers": {"mavens": {"share": 0.6}, "alphas": {"share": 0.5}}},
        "consumers",
        "mavens.share + alphas.share must be <= 1",
    ),
    (
        "odd ws k",
        {**MINIMAL, "graph": {"kind": "watts_strogatz", "n": 100, "k": 5}},
        "graph",
        "k must be even and < n (k=5, n=100)",
    ),
    (
        "ba m",
        {**MINIMAL, "graph": {"kind": "barabasi_albert", "n": 5, "m": 5}},
        "graph",
        "m must be < n",
    ),
    (
        "odd degree sum",
        {**MINIMAL, "graph": {"kind": "configuration", "degrees": [1, 1, 1]}},
        "graph",
        "even sum (sum=3)",
    ),
    (
        "uniform bounds",
        {**MINIMAL, "consumers": {"threshold": {"kind": "uniform", "low": 0.5, "high": 0.2}}},
        "consumers.threshold",
        "high must be >= low",
    ),
    (
        "beta mean",
        {**MINIMAL, "consumers": {"threshold": {"kind": "beta", "mean": 1.0}}},
        "consumers.threshold.mean",
        "less than 1",
    ),
]


@pytest.mark.parametrize(
    ("data", "field", "fragment"), [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS]
)
def test_each_error_names_source_field_and_expectation(data, field, fragment):
    exc = error(data)
    assert exc.source == "<dict>"
    assert exc.field == field
    assert fragment in exc.expected
    assert str(exc) == f"<dict>: {field}: {exc.expected}"


def test_wrong_type_shows_the_offending_value():
    assert error({"firms": [{"name": "A", "quality": "high"}]}).expected.endswith("(got 'high')")


def test_several_problems_are_counted_in_one_line():
    exc = error({"firms": [{"name": "A", "quality": 2, "price": -1}]})
    assert exc.field == "firms.0.quality"
    assert exc.expected.endswith("(and 1 more problem)")


def test_scenario_errors_are_value_errors():
    with pytest.raises(ValueError, match="firms"):
        load_scenario({})


# --------------------------------------------------------------------- files


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_bad_yaml_names_the_file_and_line(tmp_path):
    path = write(tmp_path, "firms:\n  - {name: A\n")
    exc = error(path)
    assert exc.source == str(path)
    assert exc.field == ""
    assert "invalid YAML at line 3" in str(exc)


def test_a_key_given_twice_is_refused_with_its_line(tmp_path):
    path = write(tmp_path, "steps: 5\nfirms:\n  - {name: A, name: B}\n")
    assert "invalid YAML at line 3, column 15: key 'name' is given twice" in str(error(path))
    path = write(tmp_path, "steps: 5\nseed: 1\nsteps: 7\n")
    assert "invalid YAML at line 3, column 1: key 'steps' is given twice" in str(error(path))
    merged = write(tmp_path, "base: &b {n: 1}\nother:\n  <<: *b\n  n: 2\n")
    assert read_yaml(merged) == {"base": {"n": 1}, "other": {"n": 2}}  # merge keys still work


def test_file_errors_name_the_file(tmp_path):
    assert "file not found" in str(error(tmp_path / "missing.yaml"))
    assert "expected a mapping of keys, got list" in str(error(write(tmp_path, "- a\n- b\n")))
    assert "got NoneType" in str(error(write(tmp_path, "")))
    (tmp_path / "bin.yaml").write_bytes(b"\xff\xfe\x00bad")
    assert "cannot read file" in str(error(tmp_path / "bin.yaml"))


def test_errors_in_files_name_the_file_and_the_field(tmp_path):
    path = write(tmp_path, "firms:\n  - name: A\n    qualty: 0.5\n")
    exc = error(path)
    assert str(exc).startswith(f"{path}: firms.0.qualty: unknown key")


def test_missing_graph_file(tmp_path):
    path = write(tmp_path, "firms: [{name: A}]\ngraph: {kind: graphml, path: g.graphml}\n")
    exc = error(path)
    assert exc.field == "graph.path"
    assert "graph file not found" in exc.expected


# ------------------------------------------------------------------- overrides


def test_overrides_set_nested_fields_and_list_items():
    spec = load_scenario(
        FULL,
        overrides={
            "firms.0.quality": 0.9,
            "graph.n": 50,
            "institutions.0.trigger.level": 0.7,
            "consumers.threshold": 0.4,
        },
    )
    assert spec.firms[0].quality == 0.9
    assert spec.graph.n == 50
    assert spec.institutions[0].trigger.level == 0.7
    assert spec.consumers.threshold == schema.FixedValue(value=0.4)


def test_apply_overrides_does_not_touch_its_input():
    data = copy.deepcopy(FULL)
    out = apply_overrides(data, {"firms.0.price": 3, "seeding.critics": 2})
    assert data == FULL
    assert out["firms"][0]["price"] == 3
    assert out["seeding"]["critics"] == 2


def test_an_override_of_an_unknown_key_is_rejected_by_validation():
    exc = error(MINIMAL, overrides={"consumers.new.x": 1})
    assert exc.field == "consumers.new"
    assert "unknown key" in exc.expected


@pytest.mark.parametrize(
    ("override", "fragment"),
    [
        ("firms.3.price", "--set: firms.3.price: index '3' is not in 0..0"),
        ("firms.x.price", "--set: firms.x.price: index 'x' is not in 0..0"),
        ("firms.-1.price", "index '-1' is not in 0..0"),
        ("steps.a", "--set: steps.a: cannot descend into 3"),
    ],
)
def test_override_path_errors(override, fragment):
    with pytest.raises(ScenarioError) as info:
        apply_overrides({**MINIMAL, "steps": 3}, {override: 1})
    assert fragment in str(info.value)


def test_override_errors_from_a_file_name_the_file(tmp_path):
    path = write(tmp_path, "firms: [{name: A}]\n")
    exc = error(path, overrides={"firms.1.price": 2})
    assert exc.source == str(path)
    assert exc.field == "firms.1.price"


# ---------------------------------------------------------------- JSON Schema


def walk_properties(node, path=""):
    """Yield (path, property schema) for every property of every object in a schema."""
    if isinstance(node, dict):
        for name, prop in node.get("properties", {}).items():
            yield f"{path}.{name}", prop
        for key, value in node.items():
            yield from walk_properties(value, f"{path}/{key}")
    elif isinstance(node, list):
        for item in node:
            yield from walk_properties(item, path)


def test_json_schema_is_valid_json_with_a_description_for_every_property():
    exported = scenario_json_schema()
    text = json.dumps(exported)
    assert json.loads(text) == exported
    assert exported["title"] == "swarmsim scenario"
    assert exported["$schema"].endswith("2020-12/schema")
    properties = list(walk_properties(exported))
    assert len(properties) > 100
    missing = [
        path
        for path, prop in properties
        if not prop.get("description") and not path.endswith(".kind")
    ]
    assert missing == []
    described = {name for name, d in exported["$defs"].items() if d.get("description")}
    assert {"BarabasiAlbertGraph", "BetaDistribution", "FirmSpec"} <= described
    assert exported["additionalProperties"] is False
    assert all(
        d.get("additionalProperties") is False
        for d in exported["$defs"].values()
        if d.get("type") == "object"
    )


def test_json_schema_accepts_every_resolved_shipped_scenario():
    import jsonschema
    exported = scenario_json_schema()
    jsonschema.Draft202012Validator.check_schema(exported)
    validator = jsonschema.Draft202012Validator(exported)
    for path in sorted((ROOT / "scenarios").rglob("*.yaml")):
        resolved = load_scenario(path).to_dict()
        assert [e.message for e in validator.iter_errors(resolved)] == [], path.name
    assert list(validator.iter_errors({"firms": [{"name": "A", "qualty": 1}]}))
    assert list(validator.iter_errors({"firms": [{"name": "A", "quality": 2}]}))


def test_json_schema_accepts_the_number_shorthand():
    import jsonschema
    data = {**MINIMAL, "consumers": {"threshold": 0.3}}
    load_scenario(data)
    jsonschema.validate(data, scenario_json_schema())


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("firms: " + "[" * 5000 + "]" * 5000 + "\n", "nested too deeply"),
        ("a: &a [x, x, x, x, x, x, x, x, x, x]\n"
         + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n"
                   for i in range(6)), "once its aliases are expanded"),
        ("firms:\n" + "  - {name: A}\n" * 400_000, "a scenario file holds at most"),
    ],
    ids=["deep", "alias bomb", "too large"],
)  # fmt: skip
def test_hostile_yaml_is_refused_quickly_in_one_line(tmp_path, text, fragment):
    path = tmp_path / "hostile.yaml"
    path.write_text(text)
    with pytest.raises(ScenarioError, match=fragment) as info:
        load_scenario(path)
    assert "\n" not in str(info.value)
