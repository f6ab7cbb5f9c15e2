"""Tests for viz/plots.py."""

from types import SimpleNamespace

import matplotlib.colors as mcolors
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import LineCollection

from swarmsim.errors import OutputError
from swarmsim.graphs import from_edges
from swarmsim.viz.plots import (
    BOYCOTT_GID,
    CAMPAIGN_GID,
    DIVERGING_CMAP,
    FIRM_PALETTE,
    MAX_NETWORK_NODES,
    RESPONSE_GID,
    RUN_FIGURES,
    SEQUENTIAL_CMAP,
    STRATEGY_CHANGE_GID,
    STRATEGY_STYLES,
    boycott_spread_figure,
    cascade_size_figure,
    cascade_sizes,
    firm_colors,
    graph_layout,
    opinion_figure,
    save_figure,
    summary_figure,
    sweep_heatmap,
    write_run_figures,
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
                    "profit": revenue - cost, "aware_share": boycott * 2,
                    "trust_in_firm": 1.0 - boycott, "promoters": 0.1 * (firm == "Bolt"),
                    "saboteurs": boycott / 2, "buycotters": 0.02 * (firm == "Bolt"),
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


def test_nine_panels_with_one_line_per_firm(fig):
    assert len(fig.axes) == 9
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
    lines = [_firm_lines(ax)[LEGEND_LABELS[0]] for ax in fig.axes]
    market, boycott, opinion, profit, aware, trust, promoters, saboteurs, buycotters = lines
    np.testing.assert_allclose(market.get_ydata(), 100 * acme["market_share"])
    np.testing.assert_allclose(boycott.get_ydata(), 100 * acme["boycott_share"])
    np.testing.assert_allclose(opinion.get_ydata(), acme["mean_opinion"])
    np.testing.assert_allclose(profit.get_ydata(), acme["profit"])
    np.testing.assert_allclose(aware.get_ydata(), 100 * acme["aware_share"])
    np.testing.assert_allclose(trust.get_ydata(), acme["trust_in_firm"])
    for line, column in zip((promoters, saboteurs, buycotters), ("promoters", "saboteurs", "buycotters"), strict=True):  # noqa: E501
        np.testing.assert_allclose(line.get_ydata(), 100 * acme[column])


def test_axis_labels_state_units(fig):
    market, boycott, opinion, profit, aware, trust, *people = fig.axes
    assert all("%" in ax.get_ylabel() for ax in (aware, *people))
    assert "[0, 1]" in trust.get_ylabel()
    assert "%" in market.get_ylabel()
    assert "buying" in market.get_ylabel()
    assert "%" in boycott.get_ylabel()
    assert "[-1, 1]" in opinion.get_ylabel()
    assert "currency per step" in profit.get_ylabel()
    assert opinion.get_ylim() == pytest.approx((-1.05, 1.05))
    for ax in people:  # the bottom row
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


def _response_bars(figure):
    return [(ax_index, line) for ax_index, ax in enumerate(figure.axes)
            for line in ax.get_lines() if line.get_gid() == RESPONSE_GID]  # fmt: skip


def test_a_firms_answers_are_bars_on_the_boycott_panel():
    ts = _timeseries()
    ts["response"] = ""
    acme = ts["firm"] == "Acme"
    ts.loc[acme & ts["step"].between(5, 7), "response"] = "apology"
    ts.loc[acme & ts["step"].between(12, 13), "response"] = "price_cut"
    bars = _response_bars(summary_figure(ts))
    assert [ax for ax, _ in bars] == [1, 1]  # the boycott panel only
    assert [tuple(line.get_xdata()) for _, line in bars] == [(5, 8), (12, 14)]
    fig = summary_figure(ts)
    assert {t.get_text() for t in fig.axes[1].texts} == {"apology", "price_cut"}


def test_no_response_column_no_bars(fig):
    assert not _response_bars(fig)


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


# ------------------------------------------------------------------ additions: figures
def test_opinion_figure_bars_are_percent_of_consumers_with_boycotters_hatched():
    opinion = np.array([[-0.9, 0.5], [-0.8, 0.6], [0.2, 0.7], [0.3, -0.1]])
    boycott = np.array([[True, False], [True, False], [False, False], [False, False]])
    fig = opinion_figure(opinion, boycott, ["Acme", "Bolt"], bins=4)
    acme, bolt = fig.axes
    assert (acme.get_title(), bolt.get_title()) == ("Acme", "Bolt")
    for ax in (acme, bolt):
        assert sum(p.get_height() for p in ax.patches) == pytest.approx(100.0)
        assert ax.get_xlabel() == "opinion of the firm, [-1, 1]"
    hatched = [p for p in acme.patches if p.get_hatch()]
    assert sum(p.get_height() for p in hatched) == pytest.approx(50.0)
    assert not [p for p in bolt.patches if p.get_hatch() and p.get_height() > 0]
    assert mcolors.same_color(acme.patches[0].get_facecolor(), firm_colors(["Acme"])["Acme"])
    (mean_line,) = [ln for ln in acme.get_lines() if ln.get_label() == "mean opinion"]
    assert mean_line.get_xdata()[0] == pytest.approx(-0.3)
    assert "share of consumers, %" in acme.get_ylabel()


def test_opinion_figure_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match="shape"):
        opinion_figure(np.zeros((5, 2)), np.zeros((5, 3), bool), ["A", "B"])
    with pytest.raises(ValueError, match="bins"):
        opinion_figure(np.zeros((5, 1)), np.zeros((5, 1), bool), ["A"], bins=0)


def test_cascade_sizes_cut_runs_of_joins_into_waves():
    ts = pd.DataFrame({
        "step": list(range(7)) * 2,
        "firm": ["A"] * 7 + ["B"] * 7,
        "firm_index": [0] * 7 + [1] * 7,
        "boycott_joins": [0, 3, 2, 0, 0, 4, 1] + [0] * 7,
    })  # fmt: skip
    sizes = cascade_sizes(ts.sample(frac=1.0, random_state=0))  # row order does not matter
    assert list(sizes) == ["A", "B"]
    np.testing.assert_array_equal(sizes["A"], [5, 5])
    assert sizes["B"].size == 0
    with pytest.raises(ValueError, match="messages"):
        cascade_sizes(ts, column="messages")


def test_cascade_size_figure_plots_the_ccdf_on_log_axes():
    fig = cascade_size_figure({"A": [1, 1, 2, 5, 0], "B": []})
    (ax,) = fig.axes
    a_line, _ = ax.get_lines()
    np.testing.assert_array_equal(a_line.get_xdata(), [1, 2, 5])
    np.testing.assert_allclose(a_line.get_ydata(), [1.0, 0.5, 0.25])
    assert (ax.get_xscale(), ax.get_yscale()) == ("log", "log")
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["A (4 cascades)", "B (none)"]
    assert "consumers" in ax.get_xlabel()
    with pytest.raises(ValueError, match="empty"):
        cascade_size_figure({})
    with pytest.raises(ValueError, match=">= 0"):
        cascade_size_figure({"A": [2, -1]})


def _two_cliques(size: int = 8):
    edges = [(a + offset, b + offset) for offset in (0, size)
             for a in range(size) for b in range(a + 1, size)]  # fmt: skip
    src, dst = np.array(edges).T
    return from_edges(2 * size, src, dst)


def test_graph_layout_is_deterministic_and_separates_components():
    graph = _two_cliques()
    pos = graph_layout(graph, seed=3)
    assert pos.shape == (16, 2)
    assert np.isfinite(pos).all()
    np.testing.assert_array_equal(pos, graph_layout(graph, seed=3))
    assert not np.array_equal(pos, graph_layout(graph, seed=4))
    dist = np.linalg.norm(pos[:, None] - pos[None, :], axis=-1)
    clique = np.arange(16) // 8
    same = clique[:, None] == clique[None, :]
    np.fill_diagonal(same, False)
    different = clique[:, None] != clique[None, :]
    assert dist[same].max() < dist[different].min()


def test_graph_layout_refuses_large_graphs():
    with pytest.raises(ValueError, match=str(MAX_NETWORK_NODES)):
        graph_layout(from_edges(MAX_NETWORK_NODES + 1, [0], [1]))


def test_boycott_spread_figure_marks_boycotters_per_snapshot():
    graph = _two_cliques()
    opinion = np.linspace(-1, 1, 16)
    first, later = np.zeros(16, bool), np.arange(16) < 4
    fig = boycott_spread_figure(graph, {0: (opinion, first), 7: (opinion, later)}, firm="Acme")
    panels = [ax for ax in fig.axes if ax.get_title()]
    assert [ax.get_title() for ax in panels] == ["step 0: 0% boycotting", "step 7: 25% boycotting"]
    marked = [c for c in panels[1].collections if c.get_gid() == BOYCOTT_GID]
    assert len(marked[0].get_offsets()) == 4
    segments = [c for c in panels[0].collections if isinstance(c, LineCollection)]
    assert len(segments[0].get_segments()) == graph.n_edges
    assert any(ax.get_ylabel() == "opinion of Acme, [-1, 1]" for ax in fig.axes)  # colour bar
    assert "boycotting Acme" in _legend_texts(fig)


def test_boycott_spread_figure_checks_its_inputs():
    graph = _two_cliques()
    with pytest.raises(ValueError, match="empty"):
        boycott_spread_figure(graph, {})
    with pytest.raises(ValueError, match=r"snapshot 3.*\(16,\)"):
        boycott_spread_figure(graph, {3: (np.zeros(15), np.zeros(16, bool))})
    with pytest.raises(ValueError, match="positions"):
        boycott_spread_figure(graph, {0: (np.zeros(16), np.zeros(16, bool))},
                              positions=np.zeros((3, 2)))  # fmt: skip


def _sweep_table():
    rows = [{"parity": p, "mavens": m, "seed": s, "strategy": "x",
             "share": p + 10 * m + 0.01 * s}
            for p in (0.1, 0.5, 0.9) for m in (0.0, 0.1) for s in range(3)]  # fmt: skip
    return pd.DataFrame(rows)


def test_sweep_heatmap_shows_the_replicate_mean_per_cell():
    table = _sweep_table()
    table = table[~((table["parity"] == 0.9) & (table["mavens"] == 0.1))]  # one missing cell
    fig = sweep_heatmap(table, "parity", "mavens", "share",
                        labels={"parity": "information parity, [0, 1]"})  # fmt: skip
    ax = fig.axes[0]
    values = np.ma.filled(ax.get_images()[0].get_array(), np.nan)
    expected = np.array([[0.11, 0.51, 0.91], [1.11, 1.51, np.nan]])
    np.testing.assert_allclose(values, expected)
    cells = sorted(t.get_text() for t in ax.texts)
    assert cells == ["0.11", "0.51", "0.91", "1.11", "1.51"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0.1", "0.5", "0.9"]
    assert ax.get_xlabel() == "information parity, [0, 1]"
    assert ax.get_ylabel() == "mavens"
    assert fig.axes[1].get_ylabel() == "share (mean over replicates)"
    assert ax.get_images()[0].get_cmap().name == SEQUENTIAL_CMAP


def test_sweep_heatmap_centres_a_diverging_map():
    fig = sweep_heatmap(_sweep_table(), "parity", "mavens", "share", center=0.5, agg="median")
    image = fig.axes[0].get_images()[0]
    assert image.get_cmap().name == DIVERGING_CMAP
    assert image.norm.vcenter == 0.5
    assert image.norm(0.5) == pytest.approx(0.5)


def test_sweep_heatmap_checks_its_table():
    with pytest.raises(ValueError, match="lacks columns"):
        sweep_heatmap(_sweep_table(), "parity", "nope", "share")
    with pytest.raises(ValueError, match="numeric"):
        sweep_heatmap(_sweep_table(), "parity", "mavens", "strategy")
    with pytest.raises(ValueError, match="no rows"):
        sweep_heatmap(_sweep_table().iloc[:0], "parity", "mavens", "share")


def test_write_run_figures_writes_summary_and_cascades(tmp_path):
    ts = _timeseries()
    ts["boycott_joins"] = (ts["step"] % 4 == 1).astype(int) * 3
    manifest = {"scenario": {"name": "synthetic"}}
    results = SimpleNamespace(
        timeseries=ts, institutions=_institutions(), manifest=manifest, path=tmp_path
    )
    written = write_run_figures(results, tmp_path / "figures")
    assert [p.name for p in written] == list(RUN_FIGURES)
    assert all(p.read_bytes()[:8] == PNG_SIGNATURE for p in written)
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(OutputError, match="cannot create"):
        write_run_figures(results, blocker / "figures")


def test_sweep_heatmap_writes_large_values_as_whole_numbers():
    table = pd.DataFrame({"a": [0, 1], "b": [0, 0], "profit": [31_480.4, -702.25]})
    fig = sweep_heatmap(table, "a", "b", "profit", center=0.0)
    assert [t.get_text() for t in fig.axes[0].texts] == ["31,480", "-702"]
