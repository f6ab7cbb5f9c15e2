"""The swarmsim scenarios that ``swarmsim bench`` measures, as plain dicts.

The two cascade scenarios reduce the model to a classic special case by switching phases
off (``docs/model.md``): with :func:`threshold_cascade` the boycott phase is exactly
Watts' threshold cascade, with :func:`independent_cascade` the word-of-mouth phase is
exactly the independent cascade. :func:`full_model` is the whole model.
"""

from __future__ import annotations

from typing import Any

ALL_OFF = {
    "firms_decide": False,
    "advertising": False,
    "purchase": False,
    "experience": False,
    "exposure": False,
    "word_of_mouth": False,
    "institutions": False,
    "boycott": False,
}


def _only(phase: str) -> dict[str, bool]:
    return {**ALL_OFF, phase: True}


def threshold_cascade(
    n: int, m: int, threshold: float, seeds: int, *, backend: str, seed: int = 1
) -> dict[str, Any]:
    """Watts' cascade through the boycott phase: one firm, every other phase off.

    ``join_opinion = leave_opinion = 1`` makes the opinion condition always true (and
    nobody leaves), ``alphas.share = 0`` makes every influence weight 1, so consumer i
    joins when (boycotting neighbours) / degree >= ``threshold``. ``seeds`` consumers
    boycott at step 0.
    """
    return {
        "name": "bench-threshold-cascade",
        "seed": seed,
        "backend": backend,
        "graph": {"kind": "barabasi_albert", "n": n, "m": m},
        "consumers": {
            "threshold": threshold,
            "activists": 0.0,
            "alphas": {"share": 0.0},
            "mavens": {"share": 0.0},
        },
        "firms": [{"name": "Target"}],
        "boycott": {"join_opinion": 1.0, "leave_opinion": 1.0, "fatigue": 0.0},
        "seeding": {"boycotters": seeds},
        "phases": _only("boycott"),
    }


def independent_cascade(n: int, m: int, p: float, seeds: int, *, backend: str, seed: int = 1):
    """Independent cascade through the word-of-mouth phase: one firm, every other phase off.

    ``seeds`` critics (opinion −1) speak at step 1. ``learning_rate = 10`` with
    ``peer_trust = 1`` gives α = min(1, η·τ·Σw) = 1, so one message moves a listener to
    the speakers' opinion −1; it then speaks once, the next step (``speakers: movers``),
    and never again (a second message does not move it). ``negativity_bias = 1`` keeps
    the talk probability at ``p`` per edge, mavens (talk factor) are off, and experience
    is off so opinions do not fade.
    """
    return {
        "name": "bench-independent-cascade",
        "seed": seed,
        "backend": backend,
        "graph": {"kind": "barabasi_albert", "n": n, "m": m},
        "consumers": {"peer_trust": 1.0, "alphas": {"share": 0.0}, "mavens": {"share": 0.0}},
        "firms": [{"name": "Target"}],
        "word_of_mouth": {
            "p_talk": p,
            "negativity_bias": 1.0,
            "learning_rate": 10.0,
            "speak_threshold": 0.01,
            "speakers": "movers",
        },
        "seeding": {"critics": seeds},
        "phases": _only("word_of_mouth"),
    }


def full_model(n: int, m: int, steps: int, *, backend: str, seed: int = 1) -> dict[str, Any]:
    """Return the whole model: 5 firms of mixed strategies, 3 institutions, every phase on."""
    return {
        "name": "bench-full-model",
        "seed": seed,
        "steps": steps,
        "backend": backend,
        "graph": {"kind": "barabasi_albert", "n": n, "m": m},
        "firms": [
            {"name": "Persuado", "strategy": "manipulative", "misconduct_rate": 0.05},
            {"name": "Candor", "strategy": "customer_centric", "dialogue": 0.6},
            {"name": "Hybrid", "strategy": "mixed", "manipulation": 0.5},
            {"name": "Shade", "strategy": "manipulative", "price": 0.8},
            {"name": "Fair", "strategy": "customer_centric", "price": 1.2},
        ],
        "institutions": [
            {"name": "Verbraucherzentrale", "kind": "consumer_protection"},
            {"name": "Parish", "kind": "church", "members": {"share": 0.05, "by": "community"}},
            {"name": "Initiative", "kind": "citizen_initiative", "members": {"share": 0.04}},
        ],
        "adaptation": {"rule": "imitate", "every": 10},
    }
