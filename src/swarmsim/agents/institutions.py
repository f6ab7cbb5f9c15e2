"""Institutions: the organizing bodies that turn discontent into campaigns.

Five kinds (consumer protection bodies and unions, churches, citizen initiatives with
petitions, charities and foundations, professional associations) share members,
credibility, reach, triggers and campaigns; each adds its own mechanism
(:mod:`swarmsim.phases.institutions.kinds`), whose state lives here too.
"""

from __future__ import annotations

import mesa
import numpy as np
from numpy.typing import NDArray

from swarmsim.agents.consumers import pick
from swarmsim.graphs import CSRGraph, bfs_ball
from swarmsim.kernels import rng
from swarmsim.phases.institutions.spec import InstitutionSpec


class Institution(mesa.Agent):
    """An institution with members and, per firm, a campaign countdown.

    Attributes
    ----------
    members : ndarray of int64
        Sorted consumer slots of the members.
    watches : ndarray of bool, shape (F,)
        Firms it may campaign against.
    remaining : ndarray of int64, shape (F,)
        Campaign steps left per firm after this step; 0 = no campaign.
    active : ndarray of bool, shape (F,)
        Campaigned against the firm in this step.
    campaigns_started : ndarray of int64, shape (F,)
        Campaigns started so far per firm.
    signatures : ndarray of int64, shape (F,)
        Petition signatures (each a new boycotter) so far per firm.
    founded : bool
        Whether it acts yet (an event founds one declared ``founded: false``).
    starting : ndarray of bool, shape (F,)
        A campaign against the firm was started and has not yet run a step.
    level : ndarray of float64, shape (F,)
        Strength of its campaign against the firm in [0, 1]: 1 while campaigning, 0
        otherwise; a church's appeal builds and fades.
    campaign_signatures : ndarray of int64, shape (F,)
        Signatures of the current (or last) campaign per firm (citizen initiatives).
    escalated : ndarray of bool, shape (F,)
        The current campaign's petition passed its quorum (citizen initiatives).
    fines : ndarray of float64, shape (F,)
        Fines imposed on each firm so far, currency (consumer protection).
    oversight_until : int
        Last step of stricter oversight (consumer protection); -1: none.
    endorsing : ndarray of bool, shape (F,)
        Endorsed the firm in this step (charities and foundations).
    sealed : ndarray of bool, shape (F,)
        Holds the seal of its code since the last review (professional associations).
    captured : bool
        Captured by the industry at the last review (professional associations).
    """

    def __init__(
        self,
        model: mesa.Model,
        spec: InstitutionSpec,
        index: int,
        members: NDArray[np.int64],
        firm_names: list[str],
    ):
        super().__init__(model)
        self.spec = spec
        self.index = index
        self.name = spec.name
        self.kind = spec.kind
        self.members = members
        targets = spec.targets if spec.targets is not None else firm_names
        self.watches = np.array([name in targets for name in firm_names], dtype=np.bool_)
        self.remaining = np.zeros(len(firm_names), dtype=np.int64)
        self.active = np.zeros(len(firm_names), dtype=np.bool_)
        self.campaigns_started = np.zeros(len(firm_names), dtype=np.int64)
        self.signatures = np.zeros(len(firm_names), dtype=np.int64)
        self.founded = spec.founded
        self.starting = np.zeros(len(firm_names), dtype=np.bool_)
        self.level = np.zeros(len(firm_names))
        self.campaign_signatures = np.zeros(len(firm_names), dtype=np.int64)
        self.escalated = np.zeros(len(firm_names), dtype=np.bool_)
        self.fines = np.zeros(len(firm_names))
        self.oversight_until = -1
        self.endorsing = np.zeros(len(firm_names), dtype=np.bool_)
        self.sealed = np.zeros(len(firm_names), dtype=np.bool_)
        self.captured = False

    def start_campaign(self, f: int) -> None:
        """Start a campaign against firm ``f`` for ``campaign_steps`` steps, this one first."""
        self.remaining[f] = self.spec.campaign_steps
        self.campaigns_started[f] += 1
        self.starting[f] = True
        self.campaign_signatures[f] = 0
        self.escalated[f] = False

    @property
    def active_campaigns(self) -> int:
        """Number of firms this institution campaigned against in this step."""
        return int(np.count_nonzero(self.active))


def choose_members(spec: InstitutionSpec, graph: CSRGraph, *, seed: int) -> NDArray[np.int64]:
    """Members of an institution: ``round(share * n)`` consumers, sorted.

    Draws are keyed on the institution's name, so adding another institution leaves
    this one's members unchanged.
    """
    n = graph.n
    count = round(spec.members.share * n)
    u = rng.uniform(seed, rng.stable_hash(f"init.institution.{spec.name}"), 0, np.arange(n))
    if spec.members.by == "community":
        centre = int(np.argmin(u))
        return np.sort(bfs_ball(graph, centre, count))
    return pick(count, spec.members.by, graph.degree(), u)
