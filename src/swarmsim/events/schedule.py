"""Events bound to a model: Mesa schedules them, :func:`apply` carries out their action.

Mesa 3.5 runs step t at model time t (``Model.step`` advances time by 1 and executes
every event due by then). An event that acts in step t is scheduled at time t − ½, so
it runs after step t − 1 and before step t's phases; a recurring one is a Mesa
``EventGenerator`` with that start and its ``every`` as interval. Conditions are
checked by one recurring check at low priority right after each step (time t): the
first time a condition holds, its action runs, so it acts from step t + 1.

Where this goes beyond Mesa: Mesa holds events by weak reference and rejects lambdas,
so each event is a :class:`BoundEvent` that the model keeps; and conditions, which
Mesa has no notion of, are this module's own check.
"""

from __future__ import annotations

import numpy as np
from mesa.time import Priority, Schedule

from swarmsim.events.spec import (
    EventSpec,
    FoundInstitution,
    Misconduct,
    SeedConsumers,
    SetParameter,
    StartCampaign,
    StopCampaign,
)
from swarmsim.kernels import rng

__all__ = ["BoundEvent", "apply", "schedule_events"]

_SEEDING = rng.stable_hash("events.seed")
_BEFORE_STEP = 0.5  # an event acting in step t runs at model time t - 0.5


class BoundEvent:
    """One scenario event bound to a model; calling it carries out its action."""

    def __init__(self, model, index: int, spec: EventSpec):
        self.model, self.index, self.spec = model, index, spec
        self.fired = 0  # how often it acted

    def __call__(self) -> None:
        """Carry out the action now and count it."""
        apply(self.model, self.spec, self.index)
        self.fired += 1

    def holds(self) -> bool:
        """Whether the event's condition holds after the step just run."""
        when = self.spec.when
        firm = next(f for f in self.model.firms if f.name == when.firm)
        value = getattr(firm, when.measure)
        return value > when.above if when.above is not None else value < when.below


def schedule_events(model, specs: list[EventSpec], first_index: int = 0) -> list[BoundEvent]:
    """Schedule ``specs`` on ``model`` (Mesa's event list); return the bound events.

    Events at or before the model's current step are refused by Mesa
    (``ValueError``: it cannot schedule into the past).
    """
    bound = [BoundEvent(model, first_index + k, spec) for k, spec in enumerate(specs)]
    for event in bound:
        spec = event.spec
        if spec.at is not None:
            model.schedule_event(event, at=spec.at - _BEFORE_STEP)
        elif spec.every is not None:
            count = len(spec.steps(model.spec.steps))
            if count:
                schedule = Schedule(
                    interval=spec.every, start=spec.start - _BEFORE_STEP, count=count
                )
                model.schedule_recurring(event, schedule)
    return bound


def check_conditions(events: list[BoundEvent]) -> None:
    """Carry out every conditional event whose condition first holds now (once each)."""
    for event in events:
        if event.spec.when is not None and not event.fired and event.holds():
            event()


def condition_schedule() -> tuple[Schedule, Priority]:
    """When the conditions are checked: after every step (time t, after the step's event)."""
    return Schedule(interval=1.0, start=1.0), Priority.LOW


def apply(model, spec: EventSpec, index: int) -> None:
    """Carry out ``spec``'s action on ``model`` now (between two steps).

    ``index`` keys the random draws of a seeding action, with the step it acts in.
    """
    action = spec.action
    match action:
        case Misconduct():
            firm = _firm(model, action.firm)
            firm.scheduled_misconduct = "exposed" if action.exposed else "hidden"
        case SetParameter():
            model.set_parameter(action.path, action.value)
        case StartCampaign():
            _institution(model, action.institution).start_campaign(_firm(model, action.firm).index)
        case StopCampaign():
            _institution(model, action.institution).remaining[_firm(model, action.firm).index] = 0
        case FoundInstitution():
            _institution(model, action.institution).founded = True
        case SeedConsumers():
            _seed(model, action, index)


def _seed(model, action: SeedConsumers, index: int) -> None:
    """Choose ``count`` consumers by counter-based draws keyed on (event, step); seed them."""
    people, step = model.consumers, model.steps + 1  # acts in the coming step
    count = min(action.count, people.n)
    u = rng.uniform(model.seed, _SEEDING, step, model.slots, index)
    chosen = np.argsort(u, kind="stable")[:count]
    firms = [_firm(model, action.firm).index] if action.firm else range(len(model.firms))
    for f in firms:
        if action.kind == "seed_boycotters":
            people.boycott[chosen, f] = True
        else:  # critics: opinion -1; moved listeners of last step speak in the coming one
            people.opinion[chosen, f] = -1.0
            people.heard[chosen, f] = True


def _firm(model, name: str):
    return next(firm for firm in model.firms if firm.name == name)


def _institution(model, name: str):
    return next(inst for inst in model.institutions if inst.name == name)
