"""Phase 9 — market accounting: sales, revenue, cost, profit, shares per firm.

cost = unit_cost(m)·sales + ad_cost·ad_contacts + fixed_cost + fines; profit = revenue − cost.
market_share is the share of all consumers who bought from the firm, so the shares
plus the outside share sum to 1.
"""

from __future__ import annotations

import numpy as np

NAME = "market"
STREAM = 0  # no random draws


def step(model, t: int) -> None:
    """Book every firm's accounts and the population summaries it reports."""
    people = model.consumers
    for firm in model.firms:  # sales counted by the purchase phase, contacts by advertising
        firm.book(firm.sales, firm.ad_contacts, people.n)
    model.outside_share = 1.0 - sum(firm.sales for firm in model.firms) / people.n
    model.window_steps += 1
    summarise_beliefs(model)


def summarise_beliefs(model) -> None:
    """Set the boycott share and mean opinion of each firm and of the whole market.

    The market's boycott share is the share of consumers boycotting any firm; its
    mean opinion the mean over consumers and firms, taken as the mean of the firms'
    means (each over n opinions), which spares a second pass over every opinion.
    """
    people = model.consumers
    means = people.opinion.mean(axis=0)
    anyone = model.scratch("market.boycotting_any", (people.n,), np.bool_)
    anyone.fill(False)
    for firm in model.firms:
        # column by column: count_nonzero(axis=0) is 7x slower on column-major flags,
        # and so is any(axis=1)
        column = people.boycott[:, firm.index]
        firm.boycott_share = float(np.count_nonzero(column)) / people.n
        firm.aware_share = float(np.count_nonzero(people.aware[:, firm.index])) / people.n
        firm.trust_in_firm = float(people.firm_trust[:, firm.index].mean())
        firm.mean_opinion = float(means[firm.index])
        anyone |= column
    model.boycott_share = float(np.count_nonzero(anyone)) / people.n
    model.mean_opinion = float(means.mean())
