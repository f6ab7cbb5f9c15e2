"""Tests for viz/plots.py."""

import matplotlib.colors as mcolors
import numpy as np
import pandas as pd
import pytest

from swarmsim.viz.plots import (
    CAMPAIGN_GID,
    FIRM_PALETTE,
    STRATEGY_CHANGE_GID,
    STRATEGY_STYLES,
    firm_colors,
    save_figure,
    summary_figure,
)

FIRMS = (("Acme", "manipulative"), ("Bolt", "customer_centric"), ("Civic", "mixed"))
LEGEND_LABELS = ["Acme (manipulative)", "Bolt (customer_centric)", "Civic (mixed)"]
N_STEPS = 20
SWITCH_STEP = 10
CAMPAIGN = "campaign: Fair Play League vs Acme"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _timeseries() -> pd.DataFrame:
    rows = []
    for i, (firm, strategy) in enumerate(FIRMS):
        for step in range(N_STEPS):
            if firm == "Civic" and step >= SWITCH_STEP:
                strategy = "customer_centric"
            share = 0.2 + 0.05 * i + 0.01 * np.sin(step / 3 + i)
            boycott = 0.3 * (firm == "Acme") * min(step, 12) / 12
            revenue = 1000.0 * share
            cost = 120.0 + 30 * i
            rows.append(
                {
                    "step": step, "firm": firm, "firm_index": i, "strategy": strategy,
                    "manipulation": 0.8 if strategy == "manipulative" else 0.1,
                    "market_share": share, "boycott_share": boycott,
                    "mean_opinion": 0.4 - 0.6 * boycott / 0.3 - 0.1 * i,
                    "sales": round(1000 * share), "revenue": revenue, "cost": cost,
                    "profit": revenue - cost,
                }
            )  # fmt: skip
    return pd.DataFrame(rows)


def _institutions(campaign: bool = True) -> pd.DataFrame:
    steps = np.arange(N_STEPS)
    return pd.DataFrame(
        {
            "step": steps,
            "institution": "Fair Play League",
            "kind": "ngo",
            "firm": "Acme",
            "campaigning": campaign & (steps >= 5) & (steps <= 12),
            "members": 50 + steps,
        }
    )


@pytest.fixture(scope="module")
def fig():
    return summary_figure(_timeseries(), _institutions(), title="synthetic")


def _firm_lines(ax):
    return {line.get_label(): line for line in ax.get_lines() if line.get_label() in LEGEND_LABELS}


def _legend_texts(figure):
    assert len(figure.legends) == 1
    return [t.get_text() for t in figure.legends[0].get_texts() if t.get_text()]


def _campaign_patches(ax):
    return [p for p in ax.patches if p.get_gid() == CAMPAIGN_GID]


def test_four_panels_with_one_line_per_firm(fig):
    assert len(fig.axes) == 4
    for ax in fig.axes:
        labels = [line.get_label() for line in ax.get_lines()]
        assert sorted(lbl for lbl in labels if lbl in LEGEND_LABELS) == LEGEND_LABELS
        assert all(len(line.get_xdata()) == N_STEPS for line in _firm_lines(ax).values())


def test_firm_colours_and_styles_consistent_across_panels(fig):
    expected = firm_colors([firm for firm, _ in FIRMS])
    for ax in fig.axes:
        lines = _firm_lines(ax)
        for (firm, strategy), label in zip(FIRMS, LEGEND_LABELS, strict=True):
            assert mcolors.same_color(lines[label].get_color(), expected[firm])
            assert lines[label].get_linestyle() == STRATEGY_STYLES[strategy]


def test_values_are_plotted_in_panel_units(fig):
    ts = _timeseries()
    acme = ts[ts["firm"] == "Acme"]
    market, boycott, opinion, profit = (_firm_lines(ax)[LEGEND_LABELS[0]] for ax in fig.axes)
    np.testing.assert_allclose(market.get_ydata(), 100 * acme["market_share"])
    np.testing.assert_allclose(boycott.get_ydata(), 100 * acme["boycott_share"])
    np.testing.assert_allclose(opinion.get_ydata(), acme["mean_opinion"])
    np.testing.assert_allclose(profit.get_ydata(), acme["profit"])


def test_axis_labels_state_units(fig):
    market, boycott, opinion, profit = fig.axes
    assert "%" in market.get_ylabel()
    assert "buying" in market.get_ylabel()
    assert "%" in boycott.get_ylabel()
    assert "[-1, 1]" in opinion.get_ylabel()
    assert "currency per step" in profit.get_ylabel()
    assert opinion.get_ylim() == pytest.approx((-1.05, 1.05))
    for ax in (opinion, profit):
        assert ax.get_xlabel() == "step (week)"


def test_opinion_panel_has_zero_line(fig):
    helpers = [line for line in fig.axes[2].get_lines() if line.get_label().startswith("_")]
    assert any(np.allclose(line.get_ydata(), 0.0) for line in helpers)


def test_legend_names_firm_and_starting_strategy(fig):
    texts = _legend_texts(fig)
    assert [text for text in texts if text in LEGEND_LABELS] == LEGEND_LABELS
    assert "Civic (customer_centric)" not in texts
    assert "strategy change (profit panel)" in texts
    assert fig.get_suptitle() == "synthetic"


def test_strategy_change_marked_on_profit_panel_only(fig):
    ts = _timeseries()
    markers = [ln for ln in fig.axes[3].get_lines() if ln.get_gid() == STRATEGY_CHANGE_GID]
    assert len(markers) == 1
    np.testing.assert_array_equal(markers[0].get_xdata(), [SWITCH_STEP])
    civic = ts[(ts["firm"] == "Civic") & (ts["step"] == SWITCH_STEP)]
    np.testing.assert_allclose(markers[0].get_ydata(), civic["profit"])
    for ax in fig.axes[:3]:
        assert not [ln for ln in ax.get_lines() if ln.get_gid() == STRATEGY_CHANGE_GID]


def test_strategy_change_annotated_with_new_strategy(fig):
    texts = [text.get_text() for text in fig.axes[3].texts]
    assert texts == ["→ customer_centric"]


def test_many_strategy_changes_marked_but_not_annotated():
    ts = _timeseries()
    odd = ts["step"] % 2 == 1
    ts.loc[odd, "strategy"] = ts.loc[odd, "strategy"].map({"mixed": "manipulative"}).fillna("mixed")
    fig = summary_figure(ts)
    markers = [ln for ln in fig.axes[3].get_lines() if ln.get_gid() == STRATEGY_CHANGE_GID]
    assert len(markers) == 3
    assert not fig.axes[3].texts


def test_no_strategy_change_no_marker():
    ts = _timeseries()
    ts.loc[ts["firm"] == "Civic", "strategy"] = "mixed"
    fig = summary_figure(ts)
    assert not [ln for ln in fig.axes[3].get_lines() if ln.get_gid() == STRATEGY_CHANGE_GID]
    assert "strategy change (profit panel)" not in _legend_texts(fig)


def test_active_campaign_is_shaded_on_every_panel_and_labelled_once(fig):
    for ax in fig.axes:
        (patch,) = _campaign_patches(ax)
        xs = patch.get_x(), patch.get_x() + patch.get_width()
        assert xs == pytest.approx((4.5, 12.5))
    assert _legend_texts(fig).count(CAMPAIGN) == 1


def test_split_campaign_gives_two_spans_one_label():
    inst = _institutions()
    inst.loc[inst["step"] == 8, "campaigning"] = False
    fig = summary_figure(_timeseries(), inst)
    assert all(len(_campaign_patches(ax)) == 2 for ax in fig.axes)
    assert _legend_texts(fig).count(CAMPAIGN) == 1


@pytest.mark.parametrize("institutions", [None, _institutions(campaign=False)])
def test_no_shading_without_active_campaign(institutions):
    fig = summary_figure(_timeseries(), institutions)
    assert all(not ax.patches for ax in fig.axes)
    assert not [t for t in _legend_texts(fig) if t.startswith("campaign")]


def test_missing_column_is_named():
    with pytest.raises(ValueError, match="profit"):
        summary_figure(_timeseries().drop(columns="profit"))
    with pytest.raises(ValueError, match="campaigning"):
        summary_figure(_timeseries(), _institutions().drop(columns="campaigning"))


def test_empty_timeseries_rejected():
    with pytest.raises(ValueError, match="no rows"):
        summary_figure(_timeseries().iloc[:0])


def test_palette_is_okabe_ito_without_leading_black():
    assert len(FIRM_PALETTE) == 8
    assert FIRM_PALETTE[0].lower() != "#000000"
    assert FIRM_PALETTE[-1].lower() == "#000000"


@pytest.mark.parametrize("n", range(1, 9))
def test_firm_colors_stable_and_distinct(n):
    names = [f"firm{i}" for i in range(n)]
    colors = firm_colors(names)
    assert list(colors) == names
    assert len(set(colors.values())) == n
    assert firm_colors(names) == colors
    assert firm_colors(tuple(names)) == colors
    assert firm_colors(names[:1]) == {names[0]: colors[names[0]]}


def test_firm_colors_cycle_after_eight():
    colors = list(firm_colors([f"firm{i}" for i in range(10)]).values())
    assert colors[8:] == colors[:2]


def test_firm_colors_rejects_duplicates():
    with pytest.raises(ValueError, match="unique"):
        firm_colors(["Acme", "Bolt", "Acme"])


def test_save_figure_writes_png_atomically(fig, tmp_path):
    target = tmp_path / "summary.png"
    target.write_bytes(b"old")
    assert save_figure(fig, target) == target
    assert target.read_bytes()[:8] == PNG_SIGNATURE
    assert [p.name for p in tmp_path.iterdir()] == ["summary.png"]


def test_save_figure_leaves_no_temp_file_on_failure(fig, tmp_path, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(fig, "savefig", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        save_figure(fig, tmp_path / "summary.png")
    assert list(tmp_path.iterdir()) == []
