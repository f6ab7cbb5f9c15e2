"""Tests for viz/app.py: the SolaraViz page rendered headless with solara.render."""

import json

import ipyvuetify as v
import ipywidgets
import numpy as np
import pytest
import solara
import yaml
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from swarmsim.errors import ScenarioError
from swarmsim.graphs import barabasi_albert
from swarmsim.model import SwarmModel
from swarmsim.phases.institutions.spec import ChurchSpec
from swarmsim.scenario import load_scenario
from swarmsim.viz import app as app_module
from swarmsim.viz.app import (
    DEMO_SCENARIO,
    OVERRIDES_ENV,
    SCENARIO_ENV,
    AppModel,
    NetworkView,
    Page,
    _firm_chart,
    _style_campaigns,
    app,
    controls,
    layout,
    overrides_from_controls,
)
from swarmsim.viz.plots import MAX_NETWORK_NODES, PANELS, STRATEGY_STYLES, firm_colors

CHURCH = ChurchSpec(name="defaults", kind="church")
N = 300  # consumers: small enough to render quickly, small enough for the network view


@pytest.fixture
def scenario(small):
    small["graph"]["n"] = N
    small["firms"][2]["manipulation"] = 0.3  # a mixed firm whose m is not the default
    small["consumers"] = {"peer_trust": {"kind": "beta", "mean": 0.6, "concentration": 10}}
    return small


@pytest.fixture
def page(scenario):
    """The rendered page: (reactive model, render context)."""
    element = app(scenario)
    _, rc = solara.render(solara.AppLayout(children=[element]), handle_error=False)
    yield element.kwargs["model"], rc
    rc.close()


def _images(rc) -> list[bytes]:
    return [w.value for w in rc.find(ipywidgets.Image).widgets]


def _click(rc, label: str) -> None:
    rc.find(v.Btn, children=[label]).widget.click()


def test_page_shows_controls_buttons_and_charts(page, scenario):
    model, rc = page
    assert isinstance(model.value, AppModel)
    sliders = ("information parity", "maven share", "alpha share", "negativity bias λ",
               "peer trust τ, mean", "consumers", "VZ: credibility", "BI: credibility")  # fmt: skip
    for label in sliders:
        rc.find(v.Slider, label=label).assert_single()
    for label in ("Manip: strategy", "Care: strategy", "Mix: strategy", "VZ: kind", "BI: kind"):
        rc.find(v.Select, label=label).assert_single()
    for label in ("Step", "Reset"):
        rc.find(v.Btn, children=[label]).assert_single()
    assert len(_images(rc)) == len(PANELS) + 2  # per-firm charts, campaigns, network view
    rc.find(children=["Time: 0.0"]).assert_single()


def test_step_advances_the_model_and_updates_the_charts(page):
    model, rc = page
    first = model.value
    before = _images(rc)
    _click(rc, "Step")
    assert model.value is first
    assert first.steps == 1
    rc.find(children=["Time: 1.0"]).assert_single()
    after = _images(rc)
    assert len(after) == len(before)
    assert all(a != b for a, b in zip(after, before, strict=True))
    frame = first.datacollector.get_model_vars_dataframe()
    assert len(frame) == 2
    assert "mean_opinion[Manip]" in frame.columns


def test_reset_builds_a_model_from_the_controls(page):
    model, rc = page
    _click(rc, "Step")
    rc.find(v.Slider, label="information parity").widget.v_model = 0.9
    rc.find(v.Slider, label="consumers").widget.v_model = 200
    rc.find(v.Select, label="Manip: strategy").widget.v_model = "customer_centric"
    rc.find(v.Select, label="BI: kind").widget.v_model = "church"
    _click(rc, "Reset")
    fresh = model.value
    assert fresh.steps == 0
    assert fresh.spec.consumers.information_parity == 0.9
    assert fresh.graph.n == 200
    assert fresh.firms[0].strategy == "customer_centric"
    assert fresh.firms[0].manipulation == 0.0
    church = fresh.spec.institutions[1]
    assert church.kind == "church"
    assert church.credibility == CHURCH.credibility
    assert church.trigger == CHURCH.trigger
    rc.find(children=["Time: 0.0"]).assert_single()
    _click(rc, "Step")
    assert fresh.steps == 1


def test_reset_with_untouched_controls_keeps_the_scenario(page, scenario):
    model, rc = page
    _click(rc, "Reset")
    assert model.value.spec == load_scenario(scenario)
    assert model.value.firms[2].manipulation == 0.3


def test_overrides_only_for_changed_controls(scenario):
    base = load_scenario(scenario)
    values = {path: spec["value"] for path, spec in controls(base).items()}
    assert overrides_from_controls(base, values) == {}
    values["consumers.peer_trust.mean"] = 0.8
    assert overrides_from_controls(base, values) == {"consumers.peer_trust.mean": 0.8}


def test_strategy_change_clears_the_manipulation_weight(scenario):
    base = load_scenario(scenario)
    overrides = overrides_from_controls(base, {"firms.2.strategy": "manipulative"})
    assert overrides == {"firms.2.manipulation": None, "firms.2.strategy": "manipulative"}
    assert load_scenario(scenario, overrides=overrides).firms[2].manipulation == 1.0


def test_kind_change_applies_its_defaults_but_a_moved_slider_wins(scenario):
    base = load_scenario(scenario)
    overrides = overrides_from_controls(
        base, {"institutions.0.kind": "church", "institutions.0.credibility": 0.33}
    )
    spec = load_scenario(scenario, overrides=overrides).institutions[0]
    assert spec.kind == "church"
    assert spec.credibility == 0.33
    assert spec.reach == CHURCH.reach
    assert spec.trigger == CHURCH.trigger
    assert spec.appeal == CHURCH.appeal
    assert (spec.name, spec.members) == (base.institutions[0].name, base.institutions[0].members)


def test_unknown_control_is_rejected_with_its_path(scenario):
    base = load_scenario(scenario)
    overrides = overrides_from_controls(base, {"consumers.charisma": 0.5})
    with pytest.raises(ScenarioError, match=r"consumers\.charisma: unknown key"):
        AppModel(base, **overrides)


@pytest.mark.parametrize(
    ("peer_trust", "path"),
    [(0.4, "consumers.peer_trust.value"),
     ({"kind": "normal", "mean": 0.4, "sd": 0.1}, "consumers.peer_trust.mean"),
     ({"kind": "uniform", "low": 0.2, "high": 0.6}, None)],
)  # fmt: skip
def test_peer_trust_slider_follows_the_distribution(scenario, peer_trust, path):
    scenario["consumers"]["peer_trust"] = peer_trust
    params = controls(load_scenario(scenario))
    trust = [key for key in params if key.startswith("consumers.peer_trust")]
    assert trust == ([path] if path else [])
    if path:
        assert params[path]["value"] == 0.4


def test_sliders_include_their_starting_value(scenario):
    scenario["consumers"]["mavens"] = {"share": 0.7}
    scenario["consumers"]["alphas"] = {"share": 0.0}
    scenario["graph"]["n"] = 50
    params = controls(load_scenario(scenario))
    for spec in params.values():
        if spec["type"].startswith("Slider"):
            assert spec["min"] <= spec["value"] <= spec["max"]
    assert params["consumers.mavens.share"]["max"] == 0.7
    assert params["graph.n"]["min"] == 50


def test_no_consumer_slider_for_graphs_not_sized_by_n(scenario):
    scenario["graph"] = {"kind": "stochastic_block", "sizes": [100, 100], "p_in": 0.05}
    assert "graph.n" not in controls(load_scenario(scenario))


def test_firm_chart_uses_firm_colours_strategy_styles_and_units(scenario):
    model = SwarmModel.from_scenario(scenario)
    element = _firm_chart("market_share", 100.0, "share, %", "Market share")(model)
    measure, style = element.kwargs["measure"], element.kwargs["post_process"]
    names = [firm.name for firm in model.firms]
    assert measure == {f"market_share[{n}]": c for n, c in firm_colors(names).items()}
    ax = Figure().subplots()
    for key, color in measure.items():
        ax.plot([0.0, 0.0], label=key, color=color)
    style(ax)
    styles = [line.get_linestyle() for line in ax.get_lines()[:3]]
    assert styles == [STRATEGY_STYLES[s] for s in ("manipulative", "customer_centric", "mixed")]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == names
    assert isinstance(ax.yaxis.get_major_formatter(), PercentFormatter)
    assert ax.get_ylim()[0] < 0.0 < ax.get_ylim()[1]  # a line at 0 stays visible
    assert (ax.get_title(), ax.get_ylabel()) == ("Market share", "share, %")


def test_campaign_chart_counts_campaigns_and_firms_answering(scenario):
    spec = load_scenario(scenario, overrides={"firms.0.response": {"trigger": 0.0}})
    model = SwarmModel(spec)
    model.step()
    series = model.datacollector.get_model_vars_dataframe()
    assert series["answering_firms"].tolist() == [0, 1]  # step 0, then firm 0 answers
    ax = Figure().subplots()
    ax.plot([0, 1], [0, 0])
    ax.plot([0, 1], [0, 1])
    _style_campaigns(ax)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "institutional campaigns", "firms answering",
    ]  # fmt: skip


def test_layout_is_computed_once_per_graph(monkeypatch, scenario):
    calls = []

    def counting_layout(graph):
        calls.append(graph.n)
        return np.column_stack([np.arange(graph.n), np.arange(graph.n) % 7]).astype(float)

    monkeypatch.setattr(app_module, "graph_layout", counting_layout)
    monkeypatch.setattr(app_module, "_LAYOUTS", type(app_module._LAYOUTS)())
    scenario["graph"]["n"] = 123
    element = app(scenario)
    _, rc = solara.render(solara.AppLayout(children=[element]), handle_error=False)
    _click(rc, "Step")
    _click(rc, "Step")
    _click(rc, "Reset")  # same scenario and seed: the same graph, the cached layout
    _click(rc, "Step")
    assert calls == [123]
    layout(barabasi_albert(124, 2, seed=1))
    assert calls == [123, 124]
    rc.close()


def test_network_view_colours_by_the_chosen_firm(scenario):
    model = SwarmModel.from_scenario(scenario)
    model.consumers.opinion[:, 0] = -1.0
    _, rc = solara.render(NetworkView(model), handle_error=False)
    first = _images(rc)
    rc.find(v.Select, label="colour by opinion of").widget.v_model = "Care"
    assert _images(rc) != first
    rc.close()


def test_network_view_explains_its_size_limit(scenario):
    scenario["graph"]["n"] = MAX_NETWORK_NODES + 1
    model = SwarmModel.from_scenario(scenario)
    _, rc = solara.render(NetworkView(model), handle_error=False)
    assert not rc.find(ipywidgets.Image).widgets
    text = str(rc.find(v.Alert).widget.children)
    assert f"at most {MAX_NETWORK_NODES:,} consumers" in text
    assert f"has {MAX_NETWORK_NODES + 1:,}" in text
    rc.close()


def test_page_serves_the_scenario_named_in_the_environment(monkeypatch, tmp_path, scenario):
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump(scenario), encoding="utf-8")
    monkeypatch.setenv(SCENARIO_ENV, str(path))
    monkeypatch.setenv(OVERRIDES_ENV, json.dumps({"graph.n": 150, "seed": 5}))
    _, rc = solara.render(solara.AppLayout(children=[Page()]), handle_error=False)
    rc.find(v.Slider, label="consumers").assert_single()
    assert rc.find(v.Slider, label="consumers").widget.v_model == 150
    rc.find(v.Select, label="Manip: strategy").assert_single()  # the file's firms, not the demo's
    rc.close()


def test_app_defaults_to_the_demo_scenario():
    element = app(overrides={"graph.n": 200})
    model = element.kwargs["model"].value
    assert model.spec.name == DEMO_SCENARIO["name"]
    assert [firm.name for firm in model.firms] == [f["name"] for f in DEMO_SCENARIO["firms"]]
    assert model.graph.n == 200
