"""SwarmModel: the Mesa model that builds everything from a Scenario and runs the phases."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import mesa
import networkx as nx
import numpy as np

from swarmsim import graphs, memory
from swarmsim.agents.consumers import MAVEN, ROLE_NAMES, build_population
from swarmsim.agents.firms import Firm
from swarmsim.agents.institutions import Institution, choose_members
from swarmsim.errors import ScenarioError
from swarmsim.events.schedule import (
    BoundEvent,
    check_conditions,
    condition_schedule,
    schedule_events,
)
from swarmsim.events.spec import SettableError, settable
from swarmsim.graphs import build_graph
from swarmsim.kernels import rng
from swarmsim.kernels.backend import resolve_backend
from swarmsim.kernels.placement import placed_copy, placed_full
from swarmsim.phases import collect, market
from swarmsim.phases.advertising import phase as advertising
from swarmsim.phases.boycott import phase as boycott
from swarmsim.phases.experience import phase as experience
from swarmsim.phases.exposure import phase as exposure
from swarmsim.phases.firms_decide import phase as firms_decide
from swarmsim.phases.institutions import phase as institutions
from swarmsim.phases.purchase import phase as purchase
from swarmsim.phases.word_of_mouth import phase as word_of_mouth
from swarmsim.scenario import Scenario, load_scenario, with_setting

PHASES = (
    firms_decide,
    advertising,
    purchase,
    experience,
    exposure,
    word_of_mouth,
    institutions,
    boycott,
    market,
    collect,
)
"""Phase modules in step order; see :class:`SwarmModel`."""

CONSUMER_STATE = tuple(array for phase in PHASES for array in getattr(phase, "STATE", ()))
"""The consumer arrays the phases declare (``STATE`` beside each phase's step)."""



class SwarmModel(mesa.Model):
    """Consumers on a social graph, firms and institutions, stepped synchronously.

    One step (1 week) runs, in order:

    1. firms decide (adaptation every ``adaptation.every`` steps);
    2. advertising;
    3. purchase (multinomial logit with an outside option);
    4. experience (expectation vs real quality; dialogue, co-creation, education);
    5. exposure (misconduct events and their detection);
    6. word of mouth (one hop of talk; bad news travels further);
    7. institutions (triggers, campaigns, calls, and each kind's own mechanism);
    8. boycott (threshold contagion with hysteresis);
    9. market accounting;
    10. data collection.

    Phases switched off in ``spec.phases`` are skipped (market accounting and data
    collection always run). Every random draw is counter-based on ``seed``, so a run
    is reproducible whatever the order of evaluation.

    Parameters
    ----------
    scenario : Scenario
        A validated scenario (see :func:`swarmsim.scenario.load_scenario`).
    seed : int, optional
        Overrides ``scenario.seed``.
    source : str
        Where the scenario came from, for error messages.
    graph : CSRGraph or networkx.Graph, optional
        Use this social graph instead of the scenario's ``graph`` section; a networkx
        graph's nodes become consumers 0..n−1 in ``G.nodes`` order.

    Examples
    --------
    >>> model = SwarmModel.from_scenario("scenarios/baseline.yaml", seed=1)  # doctest: +SKIP
    >>> model.run(10)  # doctest: +SKIP
    """

    def __init__(
        self,
        scenario: Scenario,
        *,
        seed: int | None = None,
        source: str = "<dict>",
        graph: graphs.CSRGraph | nx.Graph | None = None,
    ):
        seed = scenario.seed if seed is None else seed
        super().__init__(rng=seed)
        self.spec = scenario  # (Mesa reserves `scenario` for its own Scenario class)
        self.seed = int(seed)
        if graph is None:
            memory.check_fits(scenario, source=source)  # refuse before allocating
        self.graph = build_graph(scenario.graph, seed=self.seed) if graph is None else graph
        if isinstance(self.graph, nx.Graph):
            self.graph = graphs.from_networkx(self.graph)
        self.backend = resolve_backend(scenario.backend, self.graph.n)
        self.slots = np.arange(self.graph.n, dtype=np.int64)
        self.consumers = build_population(
            scenario.consumers,
            self.graph.degree(),
            len(scenario.firms),
            len(scenario.institutions),
            seed=self.seed,
            state=CONSUMER_STATE,
        )
        # Placed like the population: kernels load them beside the state they store.
        self.neighbour_weight = placed_copy(
            graphs.neighbour_sums(self.graph, self.consumers.weight)
        )
        is_maven, people = self.consumers.role == MAVEN, scenario.consumers
        self.detection_factor = placed_copy(np.where(is_maven, people.maven_detection_factor, 1.0))
        self.talk_factor = placed_copy(np.where(is_maven, people.maven_talk_factor, 1.0))
        self.firms = [Firm(self, spec, f) for f, spec in enumerate(scenario.firms)]
        names = [firm.name for firm in self.firms]
        self.institutions = []
        for k, spec in enumerate(scenario.institutions):
            members = choose_members(spec, self.graph, seed=self.seed)
            self.consumers.membership[members, k] = True
            self.institutions.append(Institution(self, spec, k, members, names))
        self.outside_share = 1.0
        self.boycott_share = self.mean_opinion = 0.0  # the market's; set by the market phase
        self.window_steps = 0  # steps booked since the last adaptation decision
        self.phase_seconds = {phase.NAME: 0.0 for phase in PHASES}
        self._scratch: dict[str, np.ndarray] = {}
        self._seed_cascades(source)
        self.events: list[BoundEvent] = []
        self._add_events(list(scenario.events))
        market.summarise_beliefs(self)
        self.datacollector = mesa.DataCollector(
            model_reporters=model_reporters(names),
            agenttype_reporters={Firm: FIRM_REPORTERS, Institution: INSTITUTION_REPORTERS},
        )
        self.datacollector.collect(self)

    @classmethod
    def from_scenario(
        cls,
        source: str | Path | Mapping[str, Any] | Scenario,
        *,
        seed: int | None = None,
        overrides: Mapping[str, Any] | None = None,
        graph: graphs.CSRGraph | nx.Graph | None = None,
    ) -> SwarmModel:
        """Build a model from a YAML path, a dict or a Scenario, with optional overrides.

        ``graph`` (a CSRGraph or networkx graph) replaces the scenario's graph section.
        """
        if isinstance(source, Scenario):
            source = source.to_dict()
        label = str(source) if isinstance(source, str | Path) else "<dict>"
        spec = load_scenario(source, overrides=overrides)
        return cls(spec, seed=seed, source=label, graph=graph)

    @property
    def active_phases(self) -> tuple:
        """The phase modules this scenario runs, in order."""
        switches = self.spec.phases
        return tuple(p for p in PHASES if getattr(switches, p.NAME, True))

    def step(self) -> None:
        """Advance one step (Mesa increments ``self.steps`` first; it is the step index t)."""
        t = self.steps
        self.consumers.begin_step()
        for phase in self.active_phases:
            start = time.perf_counter()
            phase.step(self, t)
            self.phase_seconds[phase.NAME] += time.perf_counter() - start

    def run(self, steps: int | None = None, *, on_step: Callable[[int], None] | None = None):
        """Run ``steps`` steps (default: the scenario's); call ``on_step(t)`` after each."""
        for _ in range(self.spec.steps if steps is None else steps):
            self.step()
            if on_step is not None:
                on_step(self.steps)
        return self

    def schedule(self, event: Mapping[str, Any]) -> BoundEvent:
        """Schedule one more event, written as in a scenario's ``events`` list.

        It is validated against this model's scenario (firm and institution names,
        steps, settable paths) and must act after the current step. Mesa's own
        ``schedule_event`` works too, for any callable.

        Examples
        --------
        >>> model.schedule({"at": 20, "action": {"kind": "misconduct", "firm": "Persuado"}})
        ... # doctest: +SKIP
        """
        data = {**self.spec.to_dict(), "events": [dict(event)]}
        spec = load_scenario(data).events[0]
        (bound,) = self._add_events([spec])
        return bound

    def _add_events(self, specs: list) -> list[BoundEvent]:
        conditional_before = any(e.spec.when is not None for e in self.events)
        bound = schedule_events(self, specs, first_index=len(self.events))
        self.events.extend(bound)
        if not conditional_before and any(e.spec.when is not None for e in bound):
            schedule, priority = condition_schedule()
            self.schedule_recurring(self._check_conditions, schedule, priority)
        return bound

    def _check_conditions(self) -> None:
        check_conditions(self.events)

    def set_parameter(self, path: str, value: Any) -> None:
        """Set a scenario parameter from the next step on (what a ``set_parameter`` event does).

        Only parameters read afresh in every step can change (see
        :func:`swarmsim.events.spec.settable`); the new value is validated like the
        scenario's own.

        Raises
        ------
        ScenarioError
            One line naming the path and what was expected.
        """
        try:
            settable(path)
        except SettableError as exc:
            raise ScenarioError("set_parameter", path, str(exc)) from None
        self.adopt_scenario(with_setting(self.spec, path, value, "set_parameter"))

    def adopt_scenario(self, spec: Scenario) -> None:
        """Put ``spec`` in force: the same firms and institutions with new settings.

        A firm whose ``manipulation`` changes adopts it (a change of conduct); an
        institution watches its new ``targets``.
        """
        self.spec = spec
        names = [firm.name for firm in self.firms]
        for firm, firm_spec in zip(self.firms, spec.firms, strict=True):
            if firm_spec.manipulation != firm.spec.manipulation:  # a change of conduct
                firm.manipulation = float(firm_spec.manipulation)
            firm.spec = firm_spec
        for inst, inst_spec in zip(self.institutions, spec.institutions, strict=True):
            inst.spec = inst_spec
            inst.watches[:] = [name in (inst_spec.targets or names) for name in names]

    def _seed_cascades(self, source: str) -> None:
        """Seed initial boycotters and critics of every firm (scenario ``seeding``)."""
        spec, people = self.spec.seeding, self.consumers
        for what, count in (("boycotters", spec.boycotters), ("critics", spec.critics)):
            if count == 0:
                continue
            if count > people.n:
                raise ScenarioError(
                    source, f"seeding.{what}", f"must be <= n consumers ({count} > {people.n})"
                )
            u = rng.uniform(self.seed, rng.stable_hash(f"init.seeding.{what}"), 0, self.slots)
            chosen = np.argsort(u, kind="stable")[:count]
            if what == "boycotters":
                people.boycott[chosen, :] = True
            else:
                people.opinion[chosen, :] = -1.0
                people.heard[chosen, :] = True

    def scratch(self, name: str, shape: tuple[int, ...], dtype=np.float64) -> np.ndarray:
        """Return a phase's work array: zero-filled on first use, then kept as left.

        Column-major like the per-firm consumer arrays. Reusing it spares the page
        faults of a fresh large array every step; filling it (rather than ``np.zeros``)
        backs every page with memory (reads of never-written pages, which map the
        shared zero page, are slow). Placed apart
        from the state arrays (:mod:`swarmsim.kernels.placement`).
        """
        array = self._scratch.get(name)
        if array is None:
            array = self._scratch[name] = placed_full(shape, 0, dtype)
        return array

    def role_counts(self) -> dict[str, int]:
        """Count the consumers in each role."""
        counts = np.bincount(self.consumers.role, minlength=len(ROLE_NAMES))
        return {name: int(c) for name, c in zip(ROLE_NAMES, counts, strict=True)}




FIRM_REPORTERS = {
    "firm": "name",
    "firm_index": "index",
    "strategy": "strategy",
    "manipulation": "manipulation",
    "quality": "quality",
    "market_share": "market_share",
    "boycott_share": "boycott_share",
    "mean_opinion": "mean_opinion",
    "sales": "sales",
    "revenue": "revenue",
    "cost": "cost",
    "profit": "profit",
    "ad_contacts": "ad_contacts",
    "misconduct": "misconduct",
    "exposed_share": "exposed_share",
    "messages": "messages",
    "boycott_joins": "boycott_joins",
    "boycott_leaves": "boycott_leaves",
    "aware_share": "aware_share",
    "trust_in_firm": "trust_in_firm",
    "promoters": "promoters",
    "saboteurs": "saboteurs",
    "buycotters": "buycotters",
    "fines": "fines",
    "response": "response",
    "response_cost": "response_cost",
}
"""Per firm and step; attribute names of :class:`~swarmsim.agents.firms.Firm`."""

FIRM_CHART_SERIES = (
    "market_share", "boycott_share", "mean_opinion", "profit", "aware_share", "trust_in_firm",
    "promoters", "saboteurs", "buycotters",
)  # fmt: skip
"""Firm attributes also reported per step as ``column[firm name]``, for live charts."""

INSTITUTION_REPORTERS = {
    "institution": "name",
    "kind": "kind",
    "members": lambda inst: int(inst.members.size),
    "campaigning": lambda inst: tuple(bool(a) for a in inst.active),
    "campaigns_started": lambda inst: tuple(int(c) for c in inst.campaigns_started),
    "signatures": lambda inst: tuple(int(c) for c in inst.signatures),
    "level": lambda inst: tuple(float(a) for a in inst.level),
    "escalated": lambda inst: tuple(bool(e) for e in inst.escalated),
    "fines": lambda inst: tuple(float(x) for x in inst.fines),
    "endorsing": lambda inst: tuple(bool(e) for e in inst.endorsing),
    "sealed": lambda inst: tuple(bool(e) for e in inst.sealed),
    "captured": "captured",
}
"""Per institution and step; per-firm values are tuples in firm order."""


def model_reporters(firm_names: list[str]) -> dict[str, Callable]:
    """Model-level series for live charts: per-firm shares and totals."""
    reporters: dict[str, Callable] = {
        "outside_share": lambda m: m.outside_share,
        "boycott_share": lambda m: m.boycott_share,
        "mean_opinion": lambda m: m.mean_opinion,
        "peer_trust": lambda m: float(m.consumers.peer_trust.mean()),
        "active_campaigns": lambda m: sum(i.active_campaigns for i in m.institutions),
        "answering_firms": lambda m: sum(bool(firm.response) for firm in m.firms),
    }
    for f, name in enumerate(firm_names):
        for column in FIRM_CHART_SERIES:
            reporters[f"{column}[{name}]"] = lambda m, f=f, column=column: getattr(
                m.firms[f], column
            )
    return reporters
