"""Phase 1 — firms decide: they answer boycotts and scandals, and adaptive firms revise m.

Responses: :mod:`swarmsim.phases.firms_decide.respond`. Adaptation: every
``adaptation.every`` steps each adaptive firm compares the profit it made in the
window (currency per consumer per step):

- ``imitate``: with probability ``mutation`` tries one of its arms {0, 1, initial m}
  at random (exploration, Traulsen et al. 2010); otherwise picks another firm at
  random and copies its m with the Fermi probability
  1 / (1 + exp(-(Π_other - Π_own) / K)) (Szabó & Tőke 1998);
- ``learn``: a bandit over the same arms: the window profit updates the played arm's
  value (a running mean, or with ``recency`` > 0 a recency-weighted one that forgets,
  Sutton & Barto 2018, §2.5), then epsilon-greedy or softmax picks the next arm.

All firms decide on the same snapshot, so the order of firms does not matter.
"""

from __future__ import annotations

from swarmsim.agents.firms import choose_arm, fermi_probability, uniform_index
from swarmsim.kernels import rng
from swarmsim.phases.firms_decide.respond import respond

NAME = "firms_decide"
STREAM = rng.stable_hash("phases.firms_decide")


def step(model, t: int) -> None:
    """Let firms answer boycotts and scandals; then adapt if this is a decision step.

    Decisions fall on the steps t that are multiples of ``adaptation.every``.
    """
    respond(model, t)
    spec = model.spec.adaptation
    if spec.rule == "fixed" or t % spec.every:
        return
    scale = max(1, model.window_steps) * model.consumers.n
    profits = [firm.window_profit / scale for firm in model.firms]
    weights = [firm.manipulation for firm in model.firms]
    for firm in model.firms:
        if firm.spec.adaptive:
            u_first = float(rng.uniform(model.seed, STREAM, t, firm.index, 0))
            u_second = float(rng.uniform(model.seed, STREAM, t, firm.index, 1))
            if spec.rule == "imitate":
                u_explore = float(rng.uniform(model.seed, STREAM, t, firm.index, 2))
                _imitate(model, firm, profits, weights, u_first, u_second, u_explore)
            else:
                _learn(firm, profits[firm.index], spec, u_first, u_second)
    for firm in model.firms:
        firm.window_profit = 0.0
    model.window_steps = 0


def _imitate(model, firm, profits, weights, u_pick: float, u_copy: float, u_explore: float):
    if u_explore < model.spec.adaptation.mutation:  # explore: one of its own arms
        arms = firm.arms
        firm.manipulation = arms[uniform_index(u_pick, len(arms))]
        return
    others = len(model.firms) - 1
    if others == 0:
        return
    other = uniform_index(u_pick, others)
    other += other >= firm.index
    gain = profits[other] - profits[firm.index]
    if u_copy < fermi_probability(gain, model.spec.adaptation.fermi_noise):
        firm.manipulation = weights[other]


def _learn(firm, profit: float, spec, u_explore: float, u_pick: float) -> None:
    arm = firm.arms.index(firm.manipulation)
    firm.arm_pulls[arm] += 1
    delta = profit - firm.arm_value[arm]
    if spec.recency > 0.0 and firm.arm_pulls[arm] > 1:
        firm.arm_value[arm] += spec.recency * delta  # older windows fade
    else:
        firm.arm_value[arm] += delta / firm.arm_pulls[arm]
    choice = choose_arm(
        firm.arm_value,
        firm.arm_pulls,
        spec.learner,
        spec.epsilon,
        spec.temperature,
        u_explore,
        u_pick,
    )
    firm.manipulation = firm.arms[choice]
