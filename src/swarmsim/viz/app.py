"""The interactive app: a Mesa ``SolaraViz`` page for Jupyter and the browser.

The page has sliders and selectors for the main parameters (information parity, maven
and alpha shares, peer trust, negativity bias, number of consumers, each firm's
strategy, each institution's kind and credibility), Mesa's Step / Play / Reset
buttons, live charts per firm (market share, boycott share, mean opinion, profit; the
firm colours and strategy line styles of :mod:`swarmsim.viz.plots`), the number of
active campaigns, and for graphs of at most
:data:`~swarmsim.viz.plots.MAX_NETWORK_NODES` consumers a network view coloured by
opinion with boycotters marked.

Reset rebuilds the model from the controls: Mesa calls ``AppModel(base=..., seed=...,
**controls)``, and every control whose value differs from the base scenario becomes an
override (a dotted path, the control's name) applied before validation, exactly as
``swarmsim run --set`` does.

The network view is our own Solara component, not Mesa's space component: Mesa's
network space needs one ``Cell`` object per node, and consumers here are arrays. It
draws straight from the CSR graph with :func:`~swarmsim.viz.plots.boycott_spread_figure`,
and the layout is computed once per graph (:func:`layout`), never per frame.

Examples
--------
In Jupyter (the last expression of a cell displays the page):

>>> from swarmsim.viz.app import app
>>> app("scenarios/baseline.yaml", overrides={"graph.n": 1000})  # doctest: +SKIP

In the browser: ``swarmsim app scenarios/baseline.yaml`` (runs ``solara run`` on this
module, whose :func:`Page` reads the scenario from the environment).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, NoReturn

import numpy as np
import solara
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator, PercentFormatter
from mesa.visualization import SolaraViz, make_plot_component
from mesa.visualization.components.matplotlib_components import PlotMatplotlib
from mesa.visualization.utils import update_counter
from numpy.typing import NDArray

from swarmsim.errors import SwarmsimError
from swarmsim.graphs import CSRGraph
from swarmsim.model import SwarmModel
from swarmsim.phases.institutions.spec import INSTITUTION_KINDS
from swarmsim.scenario import Scenario, load_scenario
from swarmsim.viz.plots import (
    MAX_NETWORK_NODES,
    PANELS,
    STRATEGY_STYLES,
    boycott_spread_figure,
    firm_colors,
    graph_layout,
)

__all__ = [
    "DEMO_SCENARIO",
    "OVERRIDES_ENV",
    "SCENARIO_ENV",
    "AppModel",
    "Page",
    "app",
    "components",
    "controls",
    "layout",
    "overrides_from_controls",
    "serve",
]

SCENARIO_ENV = "SWARMSIM_APP_SCENARIO"
"""Environment variable with the scenario file :func:`Page` serves (empty: the demo)."""
OVERRIDES_ENV = "SWARMSIM_APP_OVERRIDES"
"""Environment variable with a JSON object of dotted-path overrides for :func:`Page`."""

DEMO_SCENARIO: dict[str, Any] = {
    "name": "demo",
    "description": "One firm per strategy, two institutions, 1,000 consumers.",
    "seed": 42,
    "steps": 104,
    "graph": {"kind": "barabasi_albert", "n": 1000, "m": 3},
    "firms": [
        {"name": "Persuado", "strategy": "manipulative", "ad_reach": 0.3, "ad_intensity": 0.15},
        {"name": "Candor", "strategy": "customer_centric", "ad_reach": 0.15, "dialogue": 0.6},
        {"name": "Hybrid", "strategy": "mixed", "manipulation": 0.5},
    ],
    "institutions": [
        {"name": "Verbraucherzentrale", "kind": "consumer_protection", "members": {"share": 0.08}},
        {"name": "Buergerinitiative", "kind": "citizen_initiative",
         "members": {"share": 0.04, "by": "community"}},
    ],
    "boycott": {"join_opinion": -0.4, "leave_opinion": 0.1},
}  # fmt: skip
"""What ``swarmsim app`` shows without a scenario file."""

_STRATEGIES = ("manipulative", "customer_centric", "mixed")
_MIN_CONSUMERS = 100
_MISSING = object()


class AppModel(SwarmModel):
    """A :class:`~swarmsim.model.SwarmModel` built from a base scenario and the app's controls.

    Mesa's Reset button re-creates the model as ``AppModel(**model_params)``; this
    signature turns the controls into overrides of ``base``.

    Parameters
    ----------
    base : Scenario
        The scenario the app started from.
    seed : int, optional
        Run seed; default ``base.seed``.
    scenario : object, optional
        Ignored. Mesa's Reset passes an empty ``mesa.experimental.scenarios.Scenario``
        to models that accept keyword arguments; the controls carry everything.
    **kwargs
        Control values by dotted path, e.g. ``{"consumers.information_parity": 0.8}``;
        see :func:`controls` and :func:`overrides_from_controls`.
    """

    def __init__(self, base: Scenario, seed: int | None = None, scenario=None, **kwargs: Any):
        del scenario
        spec = load_scenario(base.to_dict(), overrides=overrides_from_controls(base, kwargs))
        super().__init__(spec, seed=seed, source="app controls")


def controls(spec: Scenario) -> dict[str, dict[str, Any]]:
    """Describe the app's sliders and selectors for ``spec`` as Mesa ``model_params``.

    Parameters
    ----------
    spec : Scenario
        The base scenario; each control starts at its value there.

    Returns
    -------
    dict of str to dict
        Dotted scenario path -> Mesa input description (``type``, ``label``,
        ``value`` and ``min``/``max``/``step`` or ``values``). Peer trust has a slider
        when its distribution is fixed (its value), beta or normal (its mean); the
        consumer slider exists for graph kinds sized by ``graph.n``.
    """
    people = spec.consumers
    params = {
        "consumers.information_parity": _slider("information parity", people.information_parity),
        "consumers.mavens.share": _slider("maven share", people.mavens.share, high=0.5),
        "consumers.alphas.share": _slider("alpha share", people.alphas.share, high=0.5),
        "word_of_mouth.negativity_bias": _slider(
            "negativity bias λ", spec.word_of_mouth.negativity_bias, low=1.0, high=10.0, step=0.5
        ),
    }
    trust = _peer_trust_control(people.peer_trust)
    if trust is not None:
        params[f"consumers.peer_trust.{trust[0]}"] = trust[1]
    largest = spec.graph.slider_max  # from swarmsim.graphs.kinds; None: not sized by graph.n
    if largest is not None:
        params["graph.n"] = _consumers_slider(spec.graph.n, largest)
    for i, firm in enumerate(spec.firms):
        params[f"firms.{i}.strategy"] = _select(
            f"{firm.name}: strategy", firm.strategy, _STRATEGIES
        )
    for k, inst in enumerate(spec.institutions):
        params[f"institutions.{k}.kind"] = _select(
            f"{inst.name}: kind", inst.kind, INSTITUTION_KINDS
        )
        params[f"institutions.{k}.credibility"] = _slider(
            f"{inst.name}: credibility", inst.credibility
        )
    return params


def _slider(
    label: str, value: float, *, low: float = 0.0, high: float = 1.0, step: float = 0.01
) -> dict[str, Any]:
    """Describe a float slider from ``low`` to ``high`` that always includes ``value``."""
    return {"type": "SliderFloat", "label": label, "value": value,
            "min": min(low, value), "max": max(high, value), "step": step}  # fmt: skip


def _consumers_slider(n: int, largest: int) -> dict[str, Any]:
    return {"type": "SliderInt", "label": "consumers", "value": n,
            "min": min(_MIN_CONSUMERS, n), "max": max(largest, n), "step": 100}  # fmt: skip


def _select(label: str, value: str, values: tuple[str, ...]) -> dict[str, Any]:
    return {"type": "Select", "label": label, "value": value, "values": list(values)}


def _peer_trust_control(dist) -> tuple[str, dict[str, Any]] | None:
    """(field, slider) for the centre of the peer-trust distribution, or None (uniform)."""
    if dist.kind == "fixed":
        return "value", _slider("peer trust τ", dist.value)
    if dist.kind == "beta":  # a beta mean must stay inside (0, 1)
        return "mean", _slider("peer trust τ, mean", dist.mean, low=0.05, high=0.95)
    if dist.kind == "normal":
        return "mean", _slider("peer trust τ, mean", dist.mean)
    return None


def overrides_from_controls(base: Scenario, values: Mapping[str, Any]) -> dict[str, Any]:
    """Turn control values into the overrides that rebuild the model.

    Only controls whose value differs from ``base`` become overrides, so untouched
    controls leave the scenario as it is. Two controls carry consequences:

    - a changed firm strategy also clears ``firms.i.manipulation``, so the weight m
      follows the new strategy (0.5 for ``mixed``);
    - a changed institution kind makes it an institution of that kind with the kind's
      defaults, keeping its name, members, campaign length, targets and whether it is
      founded, and any of its fields whose own control was changed.

    Parameters
    ----------
    base : Scenario
        The scenario the app started from.
    values : mapping of str to object
        Dotted path -> control value (the names of :func:`controls`).

    Returns
    -------
    dict of str to object
        Dotted path -> value, for :func:`swarmsim.scenario.load_scenario`.

    Examples
    --------
    >>> spec = load_scenario(DEMO_SCENARIO)
    >>> overrides_from_controls(spec, {"firms.0.strategy": "mixed", "graph.n": 1000})
    {'firms.0.manipulation': None, 'firms.0.strategy': 'mixed'}
    """
    data = base.to_dict()
    changed = {path: v for path, v in values.items() if _value_at(data, path) != v}
    overrides: dict[str, Any] = {}
    for path, value in changed.items():
        head, _, leaf = path.rpartition(".")
        if leaf == "strategy" and head.startswith("firms."):
            overrides.setdefault(f"{head}.manipulation", None)
        elif leaf == "kind" and head.startswith("institutions."):
            kept = ("name", "members", "campaign_steps", "founded", "targets")
            old = _value_at(data, head)
            overrides[head] = {"kind": value, **{key: old[key] for key in kept}}
    return {**overrides, **changed}


def _value_at(data: Any, path: str) -> Any:
    """Return the value at a dotted path in nested dicts and lists, or ``_MISSING``."""
    for part in path.split("."):
        if isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        elif isinstance(data, dict) and part in data:
            data = data[part]
        else:
            return _MISSING
    return data


# ------------------------------------------------------------------------- layouts
_LAYOUTS: OrderedDict[bytes, NDArray[np.float64]] = OrderedDict()
_LAYOUTS_KEPT = 8
_LAYOUTS_LOCK = threading.Lock()


def layout(graph: CSRGraph) -> NDArray[np.float64]:
    """Node positions of ``graph`` from :func:`~swarmsim.viz.plots.graph_layout`, cached.

    The cache is keyed by the graph's content (a BLAKE2b digest of ``indptr`` and
    ``indices``), so Reset with an unchanged graph, and every frame, reuse the
    positions; the 8 most recently used layouts are kept.

    Returns
    -------
    ndarray of float64, shape (n, 2)
        Read-only positions.
    """
    digest = hashlib.blake2b(digest_size=16)
    digest.update(graph.indptr.tobytes())
    digest.update(graph.indices.tobytes())
    key = digest.digest()
    with _LAYOUTS_LOCK:
        if key in _LAYOUTS:
            _LAYOUTS.move_to_end(key)
            return _LAYOUTS[key]
    positions = graph_layout(graph)
    positions.setflags(write=False)
    with _LAYOUTS_LOCK:
        _LAYOUTS[key] = positions
        while len(_LAYOUTS) > _LAYOUTS_KEPT:
            _LAYOUTS.popitem(last=False)
    return positions


# ---------------------------------------------------------------------- components
@solara.component
def NetworkView(model: SwarmModel):  # noqa: N802 (Solara components are CamelCase)
    """Network view: the graph coloured by opinion of a chosen firm, boycotters marked."""
    update_counter.get()
    names = [firm.name for firm in model.firms]
    chosen, set_chosen = solara.use_state(names[0])
    if model.graph.n > MAX_NETWORK_NODES:
        return solara.Info(
            f"The network view draws at most {MAX_NETWORK_NODES:,} consumers; this model "
            f"has {model.graph.n:,}. Lower 'consumers' and press Reset to see it."
        )
    f = names.index(chosen) if chosen in names else 0
    people = model.consumers
    figure = boycott_spread_figure(
        model.graph,
        {model.steps: (people.opinion[:, f], people.boycott[:, f])},
        positions=layout(model.graph),
        firm=names[f],
    )
    with solara.Column() as view:
        solara.Select("colour by opinion of", values=names, value=names[f], on_value=set_chosen)
        solara.FigureMatplotlib(figure, format="png", bbox_inches="tight")
    return view


def _firm_chart(column: str, factor: float, ylabel: str, title: str) -> Callable:
    """Make a chart of ``column[<firm>]`` per firm from the model's DataCollector (Mesa's plot)."""

    def firm_chart(model: SwarmModel):
        names = [firm.name for firm in model.firms]
        measure = {f"{column}[{name}]": color for name, color in firm_colors(names).items()}
        styles = [STRATEGY_STYLES.get(firm.spec.strategy, ":") for firm in model.firms]

        def style(ax: Axes) -> None:
            for line, linestyle in zip(ax.get_lines(), styles, strict=True):
                line.set_linestyle(linestyle)
            ax.legend(ax.get_lines(), names, frameon=False, fontsize="small")
            ax.set(title=title, ylabel=ylabel)
            if factor == 100.0:  # a share in [0, 1]: from 0 (lines at 0 stay visible), in %
                top = max(ax.get_ylim()[1], 0.01)
                ax.set_ylim(-0.03 * top, top)
                ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0))
            if column == "mean_opinion":
                ax.set_ylim(-1.05, 1.05)
                ax.axhline(0.0, color="0.4", linewidth=0.6)

        return PlotMatplotlib(model=model, measure=measure, post_process=style)

    firm_chart.__name__ = f"{column}_chart"
    return firm_chart


def _style_campaigns(ax: Axes) -> None:
    ax.set(title="Campaigns and firms' answers", ylabel="count")
    ax.legend(ax.get_lines(), ["institutional campaigns", "firms answering"], frameon=False,
              fontsize="small")  # fmt: skip
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))


def components(spec: Scenario) -> list:
    """List the page's components: four per-firm charts, campaigns, the network view."""
    charts: list = [(_firm_chart(*panel), 0) for panel in PANELS]
    measure = {"active_campaigns": "0.3", "answering_firms": "#D55E00"}
    charts.append(make_plot_component(measure, post_process=_style_campaigns))
    charts.append((NetworkView, 0))
    return charts


# ------------------------------------------------------------------------------ app
def app(
    scenario: str | Path | Mapping[str, Any] | Scenario | None = None,
    *,
    seed: int | None = None,
    overrides: Mapping[str, Any] | None = None,
):
    """Build the interactive page for a scenario.

    Parameters
    ----------
    scenario : path, dict or Scenario, optional
        The base scenario (default :data:`DEMO_SCENARIO`).
    seed : int, optional
        Run seed; default the scenario's.
    overrides : mapping of str to object, optional
        Dotted-path overrides applied to the scenario first, e.g. ``{"graph.n": 500}``.

    Returns
    -------
    reacton Element
        A Mesa ``SolaraViz`` element; display it in Jupyter, or render it inside
        ``solara.AppLayout``. ``element.kwargs["model"]`` is the ``solara.Reactive``
        holding the current :class:`AppModel` (Reset replaces its value).

    Raises
    ------
    ScenarioError
        If the scenario or an override is invalid.
    """
    source = DEMO_SCENARIO if scenario is None else scenario
    if isinstance(source, Scenario):
        source = source.to_dict()
    base = load_scenario(source, overrides=overrides)
    seed = base.seed if seed is None else seed
    model = solara.reactive(AppModel(base, seed=seed))
    return SolaraViz(
        model=model,
        components=components(base),
        model_params={"base": base, "seed": seed, **controls(base)},
        name=f"swarmsim: {base.name}",
    )


def _app_from_environment():
    """Build the page for the scenario and overrides in the environment (``SWARMSIM_APP_*``)."""
    path = os.environ.get(SCENARIO_ENV) or None
    overrides = json.loads(os.environ.get(OVERRIDES_ENV) or "{}")
    return app(path, overrides=overrides)


@solara.component
def Page():  # noqa: N802 (the name `solara run` looks for)
    """Serve this page under ``solara run swarmsim.viz.app``; one model per browser session."""
    return solara.use_memo(_app_from_environment, dependencies=[])


def serve(
    scenario: str | Path | None = None,
    *,
    overrides: Mapping[str, Any] | None = None,
    host: str = "127.0.0.1",
    port: int = 8765,
) -> NoReturn:
    """Validate the scenario, then become ``solara run swarmsim.viz.app`` (never returns).

    The server replaces this process (``os.execve``), so Ctrl-C and SIGTERM reach it
    directly and stopping it leaves nothing behind. Solara's version check (a request
    to pypi.org) is switched off, and so is its usage telemetry unless
    ``SOLARA_TELEMETRY_MIXPANEL_ENABLE`` is set.

    Parameters
    ----------
    scenario : path, optional
        Scenario file; default :data:`DEMO_SCENARIO`.
    overrides : mapping of str to object, optional
        Dotted-path overrides (``seed`` included), JSON-serialisable.
    host : str, optional
        Interface to listen on; the default serves this machine only.
    port : int, optional
        TCP port, 1–65535.

    Raises
    ------
    ScenarioError
        If the scenario or an override is invalid (checked before the server starts).
    SwarmsimError
        If the Python interpreter cannot be started.
    """
    spec = load_scenario(DEMO_SCENARIO if scenario is None else scenario, overrides=overrides)
    path = "" if scenario is None else str(Path(scenario).resolve())
    env = {**os.environ, SCENARIO_ENV: path, OVERRIDES_ENV: json.dumps(dict(overrides or {}))}
    env.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")
    command = [sys.executable, "-m", "solara", "run", "swarmsim.viz.app", "--host", host,
               "--port", str(port), "--no-open", "--no-check-version", "--production"]  # fmt: skip
    print(f"swarmsim app: {spec.name!r} at http://{host}:{port}/ (Ctrl-C stops the server)",
          flush=True)  # fmt: skip
    try:
        os.execve(sys.executable, command, env)
    except OSError as exc:
        raise SwarmsimError(f"swarmsim app: cannot start solara ({exc})") from None
