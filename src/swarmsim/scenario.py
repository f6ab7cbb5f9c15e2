"""Scenario schema: YAML → validated, frozen pydantic models → :class:`SwarmModel`.

Every field has a default, a description with its unit or range, and a range check.
Unknown keys are rejected. :func:`load_scenario` turns every problem into one
:class:`~swarmsim.errors.ScenarioError` line naming the file, the field path and the
expectation. Time is in steps (1 step = 1 week); money is in an abstract currency.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from functools import partial
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import Field, ValidationError, model_validator

from swarmsim.errors import ScenarioError
from swarmsim.events.spec import ACTION_KINDS, EventSpec, check_events
from swarmsim.graphs.kinds import KINDS as GRAPH_KINDS
from swarmsim.graphs.kinds import BarabasiAlbertGraph, GraphSpec
from swarmsim.phases.advertising.spec import AdvertisingSpec
from swarmsim.phases.boycott.spec import BoycottSpec
from swarmsim.phases.experience.spec import ExperienceSpec
from swarmsim.phases.exposure.spec import ExposureSpec
from swarmsim.phases.firms_decide.spec import AdaptationSpec, ResponseSpec
from swarmsim.phases.institutions.spec import INSTITUTION_KINDS, InstitutionSpec
from swarmsim.phases.purchase.spec import PurchaseSpec
from swarmsim.phases.word_of_mouth.spec import WordOfMouthSpec
from swarmsim.schema import Spec, probability, refuse_boolean_numbers

__all__ = [
    "INSTITUTION_KINDS",
    "FieldError",
    "Scenario",
    "apply_overrides",
    "load_scenario",
    "parse_sets",
    "read_yaml",
    "scenario_error",
    "scenario_json_schema",
    "with_setting",
]

MAX_FIRMS = 50
MAX_INSTITUTIONS = 20


# --------------------------------------------------------------------------- graphs
# The graph kinds (GraphSpec: their fields, checks and builders) are swarmsim.graphs.kinds.


# --------------------------------------------------------------------- distributions
_DIST_KIND = "distribution: fixed | uniform | normal | beta (a plain number means fixed)"


class FixedValue(Spec):
    """Every consumer gets the same value."""

    kind: Literal["fixed"] = Field("fixed", description=_DIST_KIND)
    value: float = probability(0.2, "the value, in [0, 1]")


class UniformDistribution(Spec):
    """Uniform on [low, high]."""

    kind: Literal["uniform"] = Field(description=_DIST_KIND)
    low: float = probability(0.0, "lower bound, in [0, 1]")
    high: float = probability(1.0, "upper bound, in [low, 1]")

    @model_validator(mode="after")
    def _ordered(self):
        if self.high < self.low:
            raise ValueError(f"high must be >= low (low={self.low}, high={self.high})")
        return self


class NormalDistribution(Spec):
    """Normal, clipped into [0, 1]."""

    kind: Literal["normal"] = Field(description=_DIST_KIND)
    mean: float = probability(0.5, "mean before clipping, in [0, 1]")
    sd: float = Field(0.1, ge=0.0, le=1.0, description="standard deviation, in [0, 1]")


class BetaDistribution(Spec):
    """Beta with the given mean and concentration a + b."""

    kind: Literal["beta"] = Field(description=_DIST_KIND)
    mean: float = Field(0.5, gt=0.0, lt=1.0, description="mean, in (0, 1)")
    concentration: float = Field(10.0, gt=0.0, description="a + b, > 0; larger = narrower")


Distribution = Annotated[
    FixedValue | UniformDistribution | NormalDistribution | BetaDistribution,
    Field(discriminator="kind"),
]


def _number_is_fixed(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return {"kind": "fixed", "value": value}
    return value


# -------------------------------------------------------------------- consumers
class RoleSpec(Spec):
    """Which consumers hold a role: a share of all, chosen at random or by highest degree."""

    share: float = probability(0.05, "share of consumers with this role, in [0, 1]")
    by: Literal["random", "degree"] = Field("random", description="random | degree")


class ConsumerSpec(Spec):
    """Consumer population: competence, roles, thresholds, trust, initial beliefs."""

    information_parity: float = probability(
        0.5,
        "how much of what firms know consumers can find out, in [0, 1]; raises mean "
        "competence (0.1 + 0.8 * parity) and scales misconduct detection",
    )
    competence_concentration: float = Field(
        8.0, gt=0.0, description="concentration a + b of the Beta competence distribution, > 0"
    )
    mavens: RoleSpec = Field(
        default_factory=lambda: RoleSpec(share=0.05), description="information seekers"
    )
    alphas: RoleSpec = Field(
        default_factory=lambda: RoleSpec(share=0.02, by="degree"),
        description="opinion leaders; chosen before mavens, the two roles never overlap",
    )
    maven_detection_factor: float = Field(
        2.0, ge=1.0, le=10.0, description="multiplies a maven's misconduct detection, in [1, 10]"
    )
    maven_talk_factor: float = Field(
        2.0, ge=1.0, le=10.0, description="multiplies a maven's talk probability, in [1, 10]"
    )
    alpha_weight: float = Field(
        3.0, ge=1.0, le=100.0, description="influence weight w of an alpha (others: 1), in [1, 100]"
    )
    threshold: Distribution = Field(
        default_factory=lambda: BetaDistribution(kind="beta", mean=0.25, concentration=8.0),
        description="boycott threshold θ: weighted share of boycotting neighbours needed, "
        "in [0, 1] (0: joins on opinion alone); a number means fixed",
    )
    peer_trust: Distribution = Field(
        default_factory=lambda: BetaDistribution(kind="beta", mean=0.6, concentration=10.0),
        description="trust τ in neighbours' messages, in [0, 1]; 1 - τ weighs firms' ads",
    )
    peer_trust_trend: float = Field(
        0.0, ge=-1.0, le=1.0,
        description="drift of every consumer's peer trust τ per year (52 steps), clipped to "
        "[0, 1], in [-1, 1]; the essays' claim is that trust moves to one's own network",
    )
    activists: float = probability(
        0.01,
        "share of consumers who boycott on their own outrage (threshold 0: no boycotting "
        "neighbours needed), drawn at random, in [0, 1]",
    )
    initial_opinion: float = Field(
        0.0, ge=-1.0, le=1.0, description="opinion of every firm at step 0, in [-1, 1]"
    )
    initial_expectation: float = probability(
        0.5, "expected quality of every firm at step 0, in [0, 1]"
    )

    @model_validator(mode="before")
    @classmethod
    def _numbers_are_fixed(cls, data: Any) -> Any:
        if isinstance(data, Mapping):
            data = dict(data)
            for key in ("threshold", "peer_trust"):
                if key in data:
                    data[key] = _number_is_fixed(data[key])
        return data

    @model_validator(mode="after")
    def _roles_fit(self):
        if self.mavens.share + self.alphas.share > 1.0:
            raise ValueError(
                f"mavens.share + alphas.share must be <= 1 "
                f"({self.mavens.share} + {self.alphas.share})"
            )
        return self


# ------------------------------------------------------------------- phase settings


class SeedingSpec(Spec):
    """Initial conditions that start cascades."""

    boycotters: int = Field(0, ge=0, description="random consumers boycotting every firm at step 0")
    critics: int = Field(
        0, ge=0, description="random consumers with opinion -1 of every firm who speak at step 0"
    )


class OutputSpec(Spec):
    """What ``swarmsim run`` writes besides the per-firm tables (docs: README, Outputs)."""

    consumers_every: int | None = Field(
        None, ge=1, le=1_000_000,
        description="write every consumer's beliefs and choices per firm every this many "
        "steps (consumers/, and traits.parquet); null: not written",
    )  # fmt: skip
    graph: bool = Field(False, description="write the social graph's edge list (graph.parquet)")


class PhaseSwitches(Spec):
    """Switch phases off to reduce the model to a special case (validation scenarios)."""

    firms_decide: bool = Field(True, description="phase 1")
    advertising: bool = Field(True, description="phase 2")
    purchase: bool = Field(True, description="phase 3")
    experience: bool = Field(True, description="phase 4")
    exposure: bool = Field(True, description="phase 5")
    word_of_mouth: bool = Field(True, description="phase 6")
    institutions: bool = Field(True, description="phase 7")
    boycott: bool = Field(True, description="phase 8")


# ------------------------------------------------------------------------- firms
STRATEGY_WEIGHT = {"manipulative": 1.0, "customer_centric": 0.0}


class FirmSpec(Spec):
    """A firm. Manipulative effects scale with m, customer-centric ones with 1 - m."""

    name: str = Field(min_length=1, max_length=64, description="unique firm name")
    strategy: Literal["manipulative", "customer_centric", "mixed"] = Field(
        "customer_centric", description="manipulative (m=1) | customer_centric (m=0) | mixed"
    )
    manipulation: float | None = Field(
        None,
        ge=0.0,
        le=1.0,
        description="mixing weight m in [0, 1]; set by strategy unless mixed (default 0.5)",
    )
    quality: float = probability(0.7, "real quality when customer-centric (m=0), in [0, 1]")
    quality_cut: float = probability(
        0.1, "quality lost at m=1: q = quality - quality_cut*m, [0, 1]"
    )
    price: float = Field(1.0, ge=0.0, le=1e6, description="price per unit, currency, >= 0")
    unit_cost: float = Field(
        0.6, ge=0.0, le=1e6, description="cost per unit sold at m=0, currency, >= 0"
    )
    cost_saving: float = Field(
        0.2, ge=0.0, le=1e6, description="unit cost saved at m=1 (cost = unit_cost - saving*m)"
    )
    fixed_cost: float = Field(0.0, ge=0.0, description="cost per step, currency, >= 0")
    ad_reach: float = probability(0.2, "share of consumers an ad reaches, per step, in [0, 1]")
    ad_intensity: float = probability(0.1, "a: opinion change of one ad contact, in [0, 1]")
    ad_cost: float = Field(0.01, ge=0.0, description="cost per ad contact, currency, >= 0")
    misconduct_rate: float = probability(0.02, "μ: misconduct events per step at m=1, in [0, 1]")
    dialogue: float = probability(0.5, "d: probability of answering a complaint at m=0, in [0, 1]")
    cocreation: float = probability(0.05, "share of buyers invited to co-create per step at m=0")
    education: float = probability(0.02, "competence step toward 1 of each buyer per step at m=0")
    adaptive: bool = Field(True, description="whether the adaptation rule applies to this firm")
    response: ResponseSpec = Field(
        default_factory=ResponseSpec, description="how it answers boycotts and scandals"
    )

    @model_validator(mode="after")
    def _resolve_manipulation(self):
        if self.strategy == "mixed":
            if self.manipulation is None:
                object.__setattr__(self, "manipulation", 0.5)
        else:
            implied = STRATEGY_WEIGHT[self.strategy]
            if self.manipulation is None:
                object.__setattr__(self, "manipulation", implied)
            elif self.manipulation != implied:
                raise ValueError(
                    f"manipulation={self.manipulation} contradicts strategy "
                    f"{self.strategy!r} (m={implied}); use strategy: mixed"
                )
        return self


# ----------------------------------------------------------------------- scenario
class Scenario(Spec):
    """A complete, validated scenario: everything a run needs besides the seed."""

    name: str = Field("scenario", min_length=1, max_length=128, description="short name")
    description: str = Field("", description="free text")
    seed: int = Field(0, ge=0, lt=2**63, description="random seed, >= 0")
    steps: int = Field(100, ge=1, le=1_000_000, description="steps to run (1 step = 1 week)")
    backend: Literal["numpy", "numba", "auto"] = Field(
        "auto",
        description="kernel backend: numpy (reference) | numba (compiled, multi-threaded) | "
        "auto (numba from 2,000 consumers on, numpy below); all give identical results",
    )
    graph: GraphSpec = Field(default_factory=BarabasiAlbertGraph, description="social graph")
    consumers: ConsumerSpec = Field(default_factory=ConsumerSpec, description="consumers")
    firms: list[FirmSpec] = Field(
        min_length=1, max_length=MAX_FIRMS, description=f"1 to {MAX_FIRMS} firms"
    )
    institutions: list[InstitutionSpec] = Field(
        default_factory=list, max_length=MAX_INSTITUTIONS, description="organizing bodies"
    )
    advertising: AdvertisingSpec = Field(default_factory=AdvertisingSpec, description="phase 2")
    purchase: PurchaseSpec = Field(default_factory=PurchaseSpec, description="phase 3")
    experience: ExperienceSpec = Field(default_factory=ExperienceSpec, description="phase 4")
    exposure: ExposureSpec = Field(default_factory=ExposureSpec, description="phase 5")
    word_of_mouth: WordOfMouthSpec = Field(default_factory=WordOfMouthSpec, description="phase 6")
    boycott: BoycottSpec = Field(default_factory=BoycottSpec, description="phase 8")
    seeding: SeedingSpec = Field(default_factory=SeedingSpec, description="initial cascades")
    adaptation: AdaptationSpec = Field(default_factory=AdaptationSpec, description="phase 1")
    phases: PhaseSwitches = Field(default_factory=PhaseSwitches, description="phase switches")
    events: list[EventSpec] = Field(
        default_factory=list, max_length=10_000, description="scheduled and conditional events"
    )
    output: OutputSpec = Field(default_factory=OutputSpec, description="extra outputs of a run")

    def to_dict(self) -> dict[str, Any]:
        """Return the fully resolved scenario as plain JSON-compatible data."""
        return self.model_dump(mode="json")


class FieldError(ValueError):
    """A cross-field error that knows its field path (``field``); its text: what was expected."""

    def __init__(self, field: str, expected: str):
        self.field = field
        super().__init__(expected)


def _check_references(scenario: Scenario) -> None:
    """Cross-field checks whose error must name a field deep inside the scenario."""
    names = [f.name for f in scenario.firms]
    _require_unique(names, "firms", "firm")
    _require_unique([i.name for i in scenario.institutions], "institutions", "institution")
    for k, inst in enumerate(scenario.institutions):
        for target in inst.targets or ():
            if target not in names:
                raise FieldError(
                    f"institutions.{k}.targets",
                    f"firm {target!r} does not exist (firms: {', '.join(names)})",
                )
    check_events(scenario, _raise_field_error, partial(_setting_problem, scenario))


def _raise_field_error(field: str, expected: str) -> None:
    raise FieldError(field, expected)


def _setting_problem(scenario: Scenario, path: str, value: Any) -> str | None:
    """Say what is wrong with ``path = value`` in ``scenario`` (set_parameter), or None."""
    try:
        with_setting(scenario, path, value)
    except ScenarioError as exc:
        return exc.expected
    return None


def with_setting(scenario: Scenario, path: str, value: Any, label: str = "") -> Scenario:
    """Return ``scenario`` with the dotted ``path`` set to ``value``, validated again.

    A firm's ``manipulation`` implied by its strategy is left to follow the strategy,
    so setting ``firms.N.strategy`` changes the firm's conduct. Events are kept as they
    are (they were checked already).

    Raises
    ------
    ScenarioError
        Naming ``label`` (default: the path) and what was expected.
    """
    data = scenario.to_dict()
    data["events"] = []
    for firm in data["firms"]:
        if firm["strategy"] != "mixed":
            del firm["manipulation"]
    changed = _validate(apply_overrides(data, {path: value}, label or path), label or path)
    return changed.model_copy(update={"events": scenario.events})


def _require_unique(names: list[str], field: str, what: str) -> None:
    seen: set[str] = set()
    for k, name in enumerate(names):
        if name in seen:
            raise FieldError(f"{field}.{k}.name", f"duplicate {what} name {name!r}")
        seen.add(name)


# ------------------------------------------------------------------------ loading
def load_scenario(
    source: str | Path | Mapping[str, Any],
    *,
    overrides: Mapping[str, Any] | None = None,
) -> Scenario:
    """Read, override and validate a scenario.

    Parameters
    ----------
    source : path or mapping
        A YAML file, or the scenario as a dict. Relative graph paths in a file are
        resolved against the file's folder.
    overrides : mapping of dotted path to value, optional
        Applied before validation, e.g. ``{"firms.0.quality": 0.9}``.

    Raises
    ------
    ScenarioError
        One line naming the file, the field path and what was expected.
    """
    label = str(source) if isinstance(source, str | Path) else "<dict>"
    if isinstance(source, str | Path):
        data = read_yaml(Path(source))
        base = Path(source).resolve().parent
    else:
        data, base = copy.deepcopy(dict(source)), Path.cwd()
    if overrides:
        data = apply_overrides(data, overrides, label)
    scenario = _validate(data, label)
    _check_graph_file(scenario, base, label)
    return scenario


MAX_YAML_BYTES = 4 * 2**20
"""Largest scenario, sweep or calibration file read, bytes (4 MiB: 10,000 events fit)."""

MAX_YAML_ITEMS = 1_000_000
"""Most values in one file once its ``*aliases`` are expanded: aliases of aliases can grow
a small file into an exponentially large document ("billion laughs")."""


class _UniqueKeyLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing a key given twice in one mapping.

    YAML requires unique keys, but PyYAML silently keeps the last value.
    """

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":  # `<<: *anchor` may repeat keys
                continue
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} is given twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def read_yaml(path: Path, kind: str = "scenario") -> dict[str, Any]:
    """Read a YAML mapping; any problem is a one-line ScenarioError naming ``path``.

    ``kind`` names the file's purpose in the not-found message ("scenario", "sweep").
    """
    if not path.is_file():
        raise ScenarioError(str(path), "", f"file not found (expected a {kind} YAML file)")
    try:
        size = path.stat().st_size
        if size > MAX_YAML_BYTES:
            raise ScenarioError(
                str(path), "", f"file of {size:,} bytes; a {kind} file holds at most "
                f"{MAX_YAML_BYTES:,} (a graph belongs in a graph file)",
            )  # fmt: skip
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "syntax error"
        raise ScenarioError(str(path), "", f"invalid YAML{where}: {problem}") from None
    except RecursionError:
        raise ScenarioError(str(path), "", "invalid YAML: nested too deeply") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(str(path), "", f"cannot read file ({exc})") from None
    if not isinstance(data, dict):
        raise ScenarioError(str(path), "", f"expected a mapping of keys, got {type(data).__name__}")
    if _expanded_size(data, {}) > MAX_YAML_ITEMS:
        raise ScenarioError(
            str(path), "", f"more than {MAX_YAML_ITEMS:,} values once its aliases are expanded"
        )
    return data


def _expanded_size(value: Any, memo: dict[int, int]) -> int:
    """Count the values in ``value`` as if every shared (aliased) part were copied.

    Each distinct list or mapping is counted once and its count reused, so this takes
    time linear in the file even when the expanded document would not fit in memory.
    """
    if not isinstance(value, list | dict):
        return 1
    key = id(value)
    if key not in memo:
        items = value.values() if isinstance(value, dict) else value
        memo[key] = 1 + sum(_expanded_size(item, memo) for item in items)
    return memo[key]


def apply_overrides(
    data: dict[str, Any], overrides: Mapping[str, Any], label: str = "--set"
) -> dict[str, Any]:
    """Return a copy of ``data`` with each dotted path set; list items by index.

    Missing mapping keys are created (validation then rejects unknown ones);
    a list index that does not exist is an error.
    """
    data = copy.deepcopy(data)
    for dotted, value in overrides.items():
        node: Any = data
        parts = dotted.split(".")
        for depth, part in enumerate(parts):
            last = depth == len(parts) - 1
            if isinstance(node, list):
                if not part.isdigit() or int(part) >= len(node):
                    raise ScenarioError(
                        label, dotted, f"index {part!r} is not in 0..{len(node) - 1}"
                    )
                part = int(part)
            elif not isinstance(node, dict):
                raise ScenarioError(label, dotted, f"cannot descend into {node!r}")
            if last:
                node[part] = value
            else:
                if isinstance(node, dict) and part not in node:
                    node[part] = {}
                node = node[part]
    return data


def parse_sets(items: list[str] | tuple[str, ...]) -> dict[str, object]:
    """Turn ``--set dotted.path=value`` items into overrides; values are parsed as YAML.

    The overrides go to :func:`load_scenario` (``overrides=``), which applies them with
    :func:`apply_overrides` before validation.
    """
    overrides: dict[str, object] = {}
    for item in items:
        path, sep, raw = item.partition("=")
        if not sep or not path.strip():
            raise ScenarioError("--set", item, "expected dotted.path=value, e.g. firms.0.price=1.2")
        try:
            overrides[path.strip()] = yaml.safe_load(raw)
        except yaml.YAMLError:
            raise ScenarioError("--set", path, f"cannot parse value {raw!r}") from None
    return overrides


def _validate(data: dict[str, Any], label: str) -> Scenario:
    refuse_boolean_numbers(data, Scenario, label)
    try:
        scenario = Scenario.model_validate(data)
        _check_references(scenario)
    except ValidationError as exc:
        raise scenario_error(exc, label) from None
    except FieldError as exc:
        raise ScenarioError(label, exc.field, str(exc)) from None
    return scenario


def scenario_error(exc: ValidationError, label: str) -> ScenarioError:
    """Turn pydantic's first validation error into a one-line ScenarioError for ``label``."""
    error = exc.errors()[0]
    field = _field_path(error)
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        message = "unknown key (check the spelling; `swarmsim schema` lists the keys)"
    elif error["type"] == "missing":
        message = "required field is missing"
    elif error["type"] in ("union_tag_not_found", "union_tag_invalid"):  # a kind's name
        ctx = error["ctx"]
        field = f"{field}.{ctx['discriminator'].strip(chr(39))}"
        message = (
            f"{ctx['tag']!r} is unknown; expected one of: {ctx['expected_tags']}"
            if "tag" in ctx
            else "required field is missing"
        )
    elif "input" in error and error["type"] not in ("value_error", "model_type"):
        message = f"{message} (got {error['input']!r})"
    more = exc.error_count() - 1
    if more:
        message += f" (and {more} more problem{'s' * (more > 1)})"
    return ScenarioError(label, field, message)


def _field_path(error: Mapping[str, Any]) -> str:
    """Return a pydantic error's dotted path, without the tags pydantic adds for unions.

    A union member's tag (e.g. 'barabasi_albert') appears in the path; an unknown or
    missing key at its end is a key even when it is spelled like a tag (``normal``).
    """
    loc = [str(part) for part in error["loc"]]
    last = loc[-1:] if error["type"] in ("extra_forbidden", "missing") else []
    head = loc[: len(loc) - len(last)]
    return ".".join([part for part in head if not _is_union_tag(part)] + last)


def _is_union_tag(part: Any) -> bool:
    """Pydantic inserts the discriminator value (e.g. 'barabasi_albert') into error paths."""
    return isinstance(part, str) and part in _UNION_TAGS


_UNION_TAGS = {
    *GRAPH_KINDS, "fixed", "uniform", "normal", "beta", *ACTION_KINDS, *INSTITUTION_KINDS,
}  # fmt: skip


def _check_graph_file(scenario: Scenario, base: Path, label: str) -> None:
    path = getattr(scenario.graph, "path", None)
    if path is None:
        return
    resolved = (base / path).resolve()
    if not resolved.is_file():
        raise ScenarioError(label, "graph.path", f"graph file not found: {resolved}")
    object.__setattr__(scenario.graph, "path", str(resolved))


def scenario_json_schema() -> dict[str, Any]:
    """JSON Schema of scenario files, for editors and ``swarmsim schema``."""
    schema = Scenario.model_json_schema()
    number = {"type": "number", "minimum": 0, "maximum": 1, "description": "fixed value"}
    consumer = schema["$defs"]["ConsumerSpec"]["properties"]
    for key in ("threshold", "peer_trust"):
        tagged = {k: v for k, v in consumer[key].items() if k != "description"}
        consumer[key]["anyOf"] = [tagged, number]
        for k in [k for k in consumer[key] if k not in ("anyOf", "description", "default")]:
            del consumer[key][k]
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "swarmsim scenario"
    return schema
