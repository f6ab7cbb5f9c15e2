"""Firms: Mesa Agents with a strategy (manipulation weight m) and their accounts.

A firm's manipulative effects (persuasive ads, quality cuts, misconduct) scale with
``m`` and its customer-centric ones (informative ads, dialogue, co-creation,
education) with ``1 - m``; ``m = 1`` is the pure manipulative strategy, ``m = 0`` the
pure customer-centric one. Adaptive firms revise ``m`` from their profits.
"""

from __future__ import annotations

import math

import mesa
import numpy as np

from swarmsim.scenario import FirmSpec


def strategy_label(manipulation: float) -> str:
    """Name of the strategy with weight ``manipulation`` in [0, 1]."""
    if manipulation == 1.0:
        return "manipulative"
    if manipulation == 0.0:
        return "customer_centric"
    return "mixed"


class Firm(mesa.Agent):
    """A firm and its accounts for the current step.

    Attributes
    ----------
    manipulation : float
        Current weight m in [0, 1].
    sales : int
        Units sold this step (one per buying consumer).
    revenue, cost, profit : float
        Currency this step; ``profit = revenue - cost``.
    market_share : float
        Share of all consumers who bought from this firm this step, in [0, 1].
    window_profit : float
        Profit summed since the last adaptation decision, currency.
    fines : float
        Fines booked as cost this step, currency (imposed by consumer protection).
    fines_due : float
        Fines imposed in this step, not yet booked, currency.
    response : str
        The move it makes in answer to a boycott or scandal this step ("" for none).
    response_left : int
        Steps its move runs on, this one included; 0: none runs.
    responses_started : int
        Moves started so far.
    response_cost, response_cost_due : float
        Cost of its move booked this step, and due but not yet booked, currency.
    misconduct_factor : float
        Share of its misconduct rate left after reforms, in [0, 1].
    """

    def __init__(self, model: mesa.Model, spec: FirmSpec, index: int):
        super().__init__(model)
        self.spec = spec
        self.index = index
        self.name = spec.name
        self.manipulation = float(spec.manipulation)
        self.sales = 0
        self.ad_contacts = 0
        self.revenue = self.cost = self.profit = 0.0
        self.market_share = self.boycott_share = self.mean_opinion = 0.0
        self.misconduct = False
        self.scheduled_misconduct: str | None = None  # "exposed" or "hidden", set by an event
        self.exposed_share = 0.0
        self.messages = 0
        self.boycott_joins = self.boycott_leaves = 0
        self.aware_share = 0.0
        self.promoters = self.saboteurs = 0.0  # shares of consumers (word of mouth)
        self.buycotters = 0.0  # share of consumers favouring it deliberately (purchase)
        self.trust_in_firm = 1.0  # mean trust in its messages
        self.trust_lost = False  # some consumer's trust in it fell: recovery runs
        self.window_profit = 0.0
        self.fines = self.fines_due = 0.0
        self.response = ""
        self.response_left = self.responses_started = 0
        self.response_cost = self.response_cost_due = 0.0
        self.misconduct_factor = 1.0
        self.arms = tuple(sorted({0.0, 1.0, self.manipulation}))
        self.arm_value = np.zeros(len(self.arms))
        self.arm_pulls = np.zeros(len(self.arms), dtype=np.int64)

    @property
    def strategy(self) -> str:
        """Current strategy name: manipulative, customer_centric or mixed."""
        return strategy_label(self.manipulation)

    @property
    def quality(self) -> float:
        """Real quality in [0, 1]: the customer-centric quality minus the manipulative cut."""
        return max(0.0, self.spec.quality - self.spec.quality_cut * self.manipulation)

    @property
    def price(self) -> float:
        """Price per unit, currency: the list price, less a price cut while one runs."""
        if self.response == "price_cut":
            return self.spec.price * (1.0 - self.spec.response.price_cut)
        return self.spec.price

    @property
    def ad_reach(self) -> float:
        """Share of consumers its ads reach per step, in [0, 1]; more while it advertises back."""
        if self.response == "advertise":
            return min(1.0, self.spec.ad_reach * self.spec.response.ad_boost)
        return self.spec.ad_reach

    @property
    def dialogue(self) -> float:
        """Chance it answers a complaint, in [0, 1]: d·(1 − m), or 1 during a dialogue campaign."""
        if self.response == "dialogue":
            return 1.0
        return self.spec.dialogue * (1.0 - self.manipulation)

    @property
    def misconduct_rate(self) -> float:
        """Misconduct events per step, in [0, 1]: μ·m, less what reforms removed."""
        return self.spec.misconduct_rate * self.misconduct_factor * self.manipulation

    @property
    def unit_cost(self) -> float:
        """Cost per unit sold, currency: cheaper when quality is cut."""
        return max(0.0, self.spec.unit_cost - self.spec.cost_saving * self.manipulation)

    def book(self, sales: int, ad_contacts: int, n_consumers: int) -> None:
        """Record one step's sales and ad contacts and update the accounts.

        Fines and the cost of a response that fell due in this step are booked too.
        """
        spec = self.spec
        self.sales = sales
        self.ad_contacts = ad_contacts
        self.fines, self.fines_due = self.fines_due, 0.0
        self.response_cost, self.response_cost_due = self.response_cost_due, 0.0
        self.revenue = self.price * sales
        self.cost = (
            self.unit_cost * sales + spec.ad_cost * ad_contacts + spec.fixed_cost
            + self.fines + self.response_cost
        )  # fmt: skip
        self.profit = self.revenue - self.cost
        self.market_share = sales / n_consumers
        self.window_profit += self.profit


def fermi_probability(profit_gain: float, noise: float) -> float:
    """Probability 1 / (1 + exp(-ΔΠ/K)) of copying a firm that earns ``profit_gain`` more.

    Both arguments are in currency per consumer per step; ``noise`` (K) > 0.
    """
    z = -profit_gain / noise
    if z > 700.0:
        return 0.0
    return 1.0 / (1.0 + math.exp(z))


def uniform_index(u: float, count: int) -> int:
    """Index in [0, count) chosen with equal chance by a uniform ``u`` in [0, 1); count >= 1."""
    return min(int(u * count), count - 1)


def choose_arm(
    values: np.ndarray,
    pulls: np.ndarray,
    learner: str,
    epsilon: float,
    temperature: float,
    u_explore: float,
    u_pick: float,
) -> int:
    """Pick the next arm of a bandit whose arms are manipulation weights.

    Untried arms are tried first, in order. Then ``epsilon_greedy`` explores a uniformly
    chosen arm with probability ``epsilon`` and otherwise exploits the best mean
    profit (lowest index on ties); ``softmax`` picks arm a with probability
    proportional to exp(value_a / temperature). ``u_explore`` and ``u_pick`` are
    uniforms in [0, 1).
    """
    untried = np.flatnonzero(pulls == 0)
    if untried.size:
        return int(untried[0])
    if learner == "epsilon_greedy":
        if u_explore < epsilon:
            return uniform_index(u_pick, len(values))
        return int(np.argmax(values))
    weights = np.exp((values - values.max()) / temperature)
    cumulative = np.cumsum(weights)
    return int(np.searchsorted(cumulative, u_pick * cumulative[-1], side="right"))
