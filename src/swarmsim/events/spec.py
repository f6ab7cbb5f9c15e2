"""The scenario's ``events`` section: what happens when, written as data.

An event has one time — ``at`` a step, ``every`` few steps (from ``start`` to
``stop``), or ``when`` a condition on a firm's outputs first holds — and one
``action``. Validation here checks each event alone; :func:`check_events` checks it
against the rest of the scenario (firm and institution names, steps, settable paths).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from swarmsim.schema import Spec

__all__ = [
    "ACTION_KINDS",
    "MEASURES",
    "Action",
    "Condition",
    "EventSpec",
    "FoundInstitution",
    "Misconduct",
    "SeedConsumers",
    "SetParameter",
    "SettableError",
    "StartCampaign",
    "StopCampaign",
    "check_events",
    "settable",
]

_KIND = (
    "misconduct | set_parameter | start_campaign | stop_campaign | found_institution | "
    "seed_boycotters | seed_critics"
)


class Misconduct(Spec):
    """A misconduct event of a firm in this step's exposure phase.

    Exposed, consumers detect it as they detect random misconduct (probability
    information_parity · competence, more for mavens); hidden, it is only recorded.
    """

    kind: Literal["misconduct"] = Field(description=_KIND)
    firm: str = Field(description="the firm's name")
    exposed: bool = Field(True, description="whether consumers can detect it")


class SetParameter(Spec):
    """Set a scenario parameter from this step on (e.g. a regulation)."""

    kind: Literal["set_parameter"] = Field(description=_KIND)
    path: str = Field(min_length=1, description="dotted path, e.g. consumers.information_parity")
    value: Any = Field(description="the new value, checked like the scenario's own")


class StartCampaign(Spec):
    """An institution starts a campaign against a firm (for its ``campaign_steps``)."""

    kind: Literal["start_campaign"] = Field(description=_KIND)
    institution: str = Field(description="the institution's name")
    firm: str = Field(description="the firm's name")


class StopCampaign(Spec):
    """An institution ends its campaign against a firm, if one runs."""

    kind: Literal["stop_campaign"] = Field(description=_KIND)
    institution: str = Field(description="the institution's name")
    firm: str = Field(description="the firm's name")


class FoundInstitution(Spec):
    """An institution declared with ``founded: false`` starts to act from this step."""

    kind: Literal["found_institution"] = Field(description=_KIND)
    institution: str = Field(description="the institution's name")


class SeedConsumers(Spec):
    """Random consumers start boycotting a firm, or turn into its critics.

    Critics get opinion -1 and speak in this step; consumers are drawn afresh for each
    event and step.
    """

    kind: Literal["seed_boycotters", "seed_critics"] = Field(description=_KIND)
    count: int = Field(ge=1, description="how many consumers, >= 1")
    firm: str | None = Field(None, description="the firm's name; every firm if omitted")


Action = Annotated[
    Misconduct | SetParameter | StartCampaign | StopCampaign | FoundInstitution | SeedConsumers,
    Field(discriminator="kind"),
]
ACTION_KINDS = (
    "misconduct", "set_parameter", "start_campaign", "stop_campaign", "found_institution",
    "seed_boycotters", "seed_critics",
)  # fmt: skip

MEASURES = ("boycott_share", "market_share", "mean_opinion", "profit", "exposed_share")


class Condition(Spec):
    """A firm's output crossing a level, checked after every step."""

    firm: str = Field(description="the firm's name")
    measure: Literal[MEASURES] = Field(description=" | ".join(MEASURES))
    above: float | None = Field(
        None, ge=-1e15, le=1e15, description="fires when the measure exceeds this level"
    )
    below: float | None = Field(
        None, ge=-1e15, le=1e15, description="fires when the measure falls below this level"
    )

    @model_validator(mode="after")
    def _one_level(self):
        if (self.above is None) == (self.below is None):
            raise ValueError("give exactly one of above and below")
        return self


class EventSpec(Spec):
    """One event: a time (``at``, ``every`` or ``when``) and an action.

    Steps count weeks from 1; an event at step t acts before step t's phases. A
    condition is checked after each step and acts once, before the next step.
    """

    name: str = Field("", max_length=64, description="a label for outputs and messages")
    at: int | None = Field(None, ge=1, description="the step it acts in, >= 1")
    every: int | None = Field(None, ge=1, description="acts every this many steps, >= 1")
    start: int = Field(1, ge=1, description="with every: the first step it acts in, >= 1")
    stop: int | None = Field(None, ge=1, description="with every: no action after this step")
    when: Condition | None = Field(None, description="acts once, after this first holds")
    action: Action = Field(description="what happens")

    @model_validator(mode="after")
    def _one_time(self):
        if sum(x is not None for x in (self.at, self.every, self.when)) != 1:
            raise ValueError("give exactly one of at, every and when")
        if self.stop is not None and self.stop < self.start:
            raise ValueError(f"stop must be >= start ({self.stop} < {self.start})")
        return self

    def steps(self, last: int) -> list[int]:
        """Return the steps (1..``last``) in which a scheduled event acts; [] for a condition."""
        if self.at is not None:
            return [self.at] if self.at <= last else []
        if self.every is not None:
            end = last if self.stop is None else min(self.stop, last)
            return list(range(self.start, end + 1, self.every))
        return []


# Sections read afresh in every step, so a change acts from the next step on; the rest
# (graph, consumer traits, memberships, names) is fixed when the model is built.
_SETTABLE_SECTIONS = (
    "advertising", "purchase", "experience", "exposure", "word_of_mouth", "boycott",
    "adaptation", "phases",
)  # fmt: skip
_SETTABLE_CONSUMERS = ("information_parity",)
_FIXED_FIRM_FIELDS = ("name", "adaptive")
_FIXED_INSTITUTION_FIELDS = ("name", "kind", "members", "founded")


class SettableError(ValueError):
    """A path that cannot change during a run; the text says why."""


def settable(path: str) -> None:
    """Raise :class:`SettableError` unless ``path`` may change during a run."""
    parts = path.split(".")
    head = parts[0]
    if head in _SETTABLE_SECTIONS and len(parts) >= 2:
        return
    if head == "consumers" and parts[1:] and parts[1] in _SETTABLE_CONSUMERS:
        return
    if head in ("firms", "institutions") and len(parts) == 3 and parts[1].isdigit():
        fixed = _FIXED_FIRM_FIELDS if head == "firms" else _FIXED_INSTITUTION_FIELDS
        if parts[2] not in fixed:
            return
    raise SettableError(
        f"{path!r} cannot change during a run (settable: "
        f"{', '.join(s + '.*' for s in _SETTABLE_SECTIONS)}, consumers.information_parity, "
        "firms.N.FIELD and institutions.N.FIELD except names, kinds, memberships)"
    )


def check_events(scenario, error, check_setting) -> None:
    """Check the events against the rest of the scenario.

    Parameters
    ----------
    scenario : Scenario
        The validated scenario whose ``events`` are checked.
    error : callable
        ``error(field, expected)`` raises the one-line error for that field.
    check_setting : callable
        ``check_setting(path, value)`` returns what is wrong with setting ``path`` to
        ``value`` in this scenario, or None.
    """
    firms = [f.name for f in scenario.firms]
    institutions = [i.name for i in scenario.institutions]
    for k, event in enumerate(scenario.events):
        where = f"events.{k}"
        first = event.at if event.at is not None else event.start
        if event.when is None and first > scenario.steps:
            field = "at" if event.at is not None else "start"
            error(f"{where}.{field}", f"step {first} is beyond steps ({scenario.steps})")
        if event.when is not None and event.when.firm not in firms:
            error(f"{where}.when.firm", _missing("firm", event.when.firm, firms))
        action = event.action
        for field, known in (("firm", firms), ("institution", institutions)):
            name = getattr(action, field, None)
            if name is not None and name not in known:
                error(f"{where}.action.{field}", _missing(field, name, known))
        if (
            isinstance(action, FoundInstitution)
            and scenario.institutions[institutions.index(action.institution)].founded
        ):
            error(
                f"{where}.action.institution",
                f"{action.institution!r} exists from the start (declare it founded: false)",
            )
        if isinstance(action, SetParameter):
            try:
                settable(action.path)
            except SettableError as exc:
                error(f"{where}.action.path", str(exc))
            problem = check_setting(action.path, action.value)
            if problem is not None:
                error(f"{where}.action.value", problem)


def _missing(what: str, name: str, known: list[str]) -> str:
    return f"{what} {name!r} does not exist ({what}s: {', '.join(known) or 'none'})"
