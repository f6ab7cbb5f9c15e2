"""Matplotlib figures of runs and sweeps, for papers, the CLI, the notebooks and the app.

Figures are built as :class:`matplotlib.figure.Figure` objects, never through
``pyplot``: no global figure registry, no GUI backend, and nothing here calls
``matplotlib.use``. Saving to PNG goes through the Agg renderer that
``Figure.savefig`` picks for the ``png`` format.

Examples
--------
>>> fig = summary_figure(results.timeseries, results.institutions, title="baseline")
>>> save_figure(fig, "results/baseline/summary.png")

Colours: firms take the Okabe–Ito palette by position (:func:`firm_colors`) and
strategies a line style (:data:`STRATEGY_STYLES`), the same in every figure; opinions
use the diverging ColorBrewer map :data:`DIVERGING_CMAP` and other quantities
:data:`SEQUENTIAL_CMAP` (viridis), all readable with the common colour-vision deficiencies.
"""

from __future__ import annotations

import math
import os
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.cm import ScalarMappable
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize, TwoSlopeNorm
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator
from numpy.typing import ArrayLike, NDArray

from swarmsim.errors import OutputError
from swarmsim.kernels import rng

__all__ = [
    "BOYCOTT_GID",
    "CAMPAIGN_GID",
    "DIVERGING_CMAP",
    "FIRM_PALETTE",
    "INSTITUTION_COLUMNS",
    "MAX_NETWORK_NODES",
    "PANELS",
    "RESPONSE_GID",
    "RUN_FIGURES",
    "SEQUENTIAL_CMAP",
    "STRATEGY_CHANGE_GID",
    "STRATEGY_STYLES",
    "TIMESERIES_COLUMNS",
    "boycott_spread_figure",
    "cascade_size_figure",
    "cascade_sizes",
    "event_marks",
    "firm_colors",
    "graph_layout",
    "opinion_figure",
    "save_figure",
    "summary_figure",
    "sweep_heatmap",
    "write_run_figures",
]

FIRM_PALETTE: tuple[str, ...] = (
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#009E73",  # bluish green
    "#F0E442",  # yellow
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#000000",  # black
)
"""Okabe–Ito colour-blind-safe palette, black moved from first to last place.

Okabe, M. & Ito, K. (2008), "Color Universal Design (CUD): how to make figures
and presentations that are friendly to colorblind people", https://jfly.uni-koeln.de/color/.
"""

STRATEGY_STYLES: dict[str, str] = {
    "manipulative": "--",
    "customer_centric": "-",
    "mixed": "-.",
}
"""Matplotlib line style per firm strategy; unknown strategies are drawn dotted (``":"``)."""

_UNKNOWN_STRATEGY_STYLE = ":"

INSTITUTION_COLUMNS: tuple[str, ...] = ("step", "institution", "firm", "campaigning")
"""Columns of the institutions table that :func:`summary_figure` reads."""

PANELS: tuple[tuple[str, float, str, str], ...] = (
    ("market_share", 100.0, "share of consumers buying, %", "Market share"),
    ("boycott_share", 100.0, "share of consumers boycotting, %", "Boycott"),
    ("mean_opinion", 1.0, "mean opinion, [-1, 1]", "Opinion of the firm"),
    ("profit", 1.0, "profit, currency per step", "Profit"),
    ("aware_share", 100.0, "share of consumers aware, %", "Aware of its misconduct"),
    ("trust_in_firm", 1.0, "mean trust in its messages, [0, 1]", "Trust in the firm's ads"),
    ("promoters", 100.0, "share of consumers, %", "Promoters (satisfied, speak up)"),
    ("saboteurs", 100.0, "share of consumers, %", "Saboteurs (dissatisfied, speak up)"),
    ("buycotters", 100.0, "share of consumers, %", "Buycotters (favour it deliberately)"),
)
"""Per-firm series as (column, factor applied to the values, y label, title), in panel order."""

TIMESERIES_COLUMNS: tuple[str, ...] = (
    "step", "firm", "firm_index", "strategy", *(column for column, *_ in PANELS),
)  # fmt: skip
"""Columns of the per-step, per-firm table that :func:`summary_figure` reads."""
_PROFIT_PANEL = 3
_BOYCOTT_PANEL = 1
_X_LABEL = "step (week)"
_LEGEND_MAX_COLS = 3
_MAX_ANNOTATED_CHANGES = 4
_CAMPAIGN_COLOR = "0.82"
_CAMPAIGN_HATCHES = (None, "//", "\\\\", "xx", "..")
CAMPAIGN_GID = "campaign"
"""``gid`` of the shaded campaign spans, so callers and tests can find them."""
STRATEGY_CHANGE_GID = "strategy-change"
"""``gid`` of the strategy-change markers on the profit panel."""
RESPONSE_GID = "response"
"""``gid`` of the bars that mark a firm's answer to a boycott on the boycott panel."""
BOYCOTT_GID = "boycotting"
"""``gid`` of the boycotters' markers in :func:`boycott_spread_figure`."""
DIVERGING_CMAP = "RdBu"
"""Colour map for opinions in [-1, 1] and centred differences: red negative, blue positive.

ColorBrewer's RdBu is listed as colour-blind safe (Brewer, https://colorbrewer2.org).
"""
SEQUENTIAL_CMAP = "viridis"
"""Colour map for other quantities: perceptually uniform and colour-blind safe."""
MAX_NETWORK_NODES = 2000
"""Largest graph :func:`graph_layout` and :func:`boycott_spread_figure` draw (O(n²) layout)."""
_OPINION_LABEL = "opinion of the firm, [-1, 1]"


def firm_colors(firm_names: Sequence[str]) -> dict[str, str]:
    """Assign each firm a colour from :data:`FIRM_PALETTE` by its position.

    Parameters
    ----------
    firm_names : sequence of str
        Unique firm names, in a fixed order (usually by ``firm_index``).
        Firm ``i`` gets ``FIRM_PALETTE[i % 8]``: colours repeat from the ninth
        firm on, so more than 8 firms are no longer told apart by colour alone.

    Returns
    -------
    dict of str to str
        Firm name -> hex colour. The same names in the same order always give
        the same colours.

    Raises
    ------
    ValueError
        If a name occurs twice.

    Examples
    --------
    >>> firm_colors(["Acme", "Bolt"])
    {'Acme': '#E69F00', 'Bolt': '#56B4E9'}
    """
    names = list(firm_names)
    if len(set(names)) != len(names):
        dupes = sorted({n for n in names if names.count(n) > 1})
        raise ValueError(f"firm names must be unique ({dupes=}); pass each firm once.")
    return {name: FIRM_PALETTE[i % len(FIRM_PALETTE)] for i, name in enumerate(names)}


def summary_figure(
    timeseries: pd.DataFrame,
    institutions: pd.DataFrame | None = None,
    *,
    title: str = "",
    events: list[tuple[int, str]] | None = None,
) -> Figure:
    """Draw each firm's series of :data:`PANELS` over time, one panel per series.

    The figure has 3 x 3 panels sharing the x axis (step, 1 step = 1 week):

    1. market share, % of all consumers who bought from the firm this step;
    2. boycott share, % of consumers boycotting the firm;
    3. mean opinion of the firm, in [-1, 1], with a thin zero line;
    4. profit, currency per step, with a thin zero line;
    5. % of consumers aware of a misconduct of the firm;
    6. mean trust in the firm's own messages, in [0, 1];
    7. – 9. promoters, saboteurs and buycotters of the firm, % of consumers.

    Each firm is one line with the same colour (:func:`firm_colors`, by
    ``firm_index``) in every panel and the line style of its strategy at the
    first step (:data:`STRATEGY_STYLES`). The shared legend below the panels
    reads "<firm> (<starting strategy>)". Steps where a firm's strategy changes
    are marked on the profit panel and, if there are at most 4 such changes,
    annotated with the new strategy. The steps in which a firm answers a boycott
    or scandal (column ``response``, if the table has it) are a bar in its colour
    along the foot of the boycott panel, labelled with the move where there are
    at most 4 answers. Steps with an active institutional
    campaign are shaded light grey on every panel (hatched from the second
    campaign on), one legend entry per (institution, target firm). Scheduled
    events are dotted vertical lines, labelled in the first panel.

    Parameters
    ----------
    timeseries : pandas.DataFrame
        One row per (step, firm), with at least the columns in
        :data:`TIMESERIES_COLUMNS`: ``step`` (int, >= 0), ``firm`` (str),
        ``firm_index`` (int, 0..F-1), ``strategy`` (str), ``market_share``,
        ``boycott_share``, ``aware_share``, ``promoters``, ``saboteurs`` and
        ``buycotters`` (fractions in [0, 1]), ``mean_opinion`` (in [-1, 1]),
        ``trust_in_firm`` (in [0, 1]) and ``profit`` (currency per step).
    institutions : pandas.DataFrame, optional
        One row per (step, institution), with at least the columns in
        :data:`INSTITUTION_COLUMNS`: ``step``, ``institution`` (str), ``firm``
        (str, campaign target) and ``campaigning`` (bool). ``None`` or no
        active campaign means no shading.
    title : str, optional
        Figure title; none if empty.
    events : list of (int, str), optional
        Steps of scheduled events and their labels (:func:`event_marks`).

    Returns
    -------
    matplotlib.figure.Figure
        About 13 x 9.5 inches at 120 dpi, constrained layout, not attached to pyplot.

    Raises
    ------
    ValueError
        If a table misses a required column or ``timeseries`` has no rows.

    Examples
    --------
    >>> fig = summary_figure(results.timeseries, results.institutions, title="baseline")
    >>> [ax.get_ylabel() for ax in fig.axes][:2]
    ['share of consumers buying, %', 'share of consumers boycotting, %']
    """
    _check_columns(timeseries, TIMESERIES_COLUMNS, "timeseries")
    if timeseries.empty:
        raise ValueError("timeseries has no rows; run the model for at least one step.")
    if institutions is not None:
        _check_columns(institutions, INSTITUTION_COLUMNS, "institutions")
    fig = Figure(figsize=(13, 9.5), dpi=120, layout="constrained")
    axes = fig.subplots(3, 3, sharex=True).ravel().tolist()
    frames = _firm_frames(timeseries)
    colors = firm_colors(list(frames))
    for ax, (column, factor, ylabel, panel_title) in zip(axes, PANELS, strict=True):
        _plot_panel(ax, frames, colors, column, factor)
        ax.set(ylabel=ylabel, title=panel_title)
    _format_axes(axes, timeseries["step"])
    changed = _mark_strategy_changes(axes[_PROFIT_PANEL], frames, colors)
    _mark_responses(axes[_BOYCOTT_PANEL], frames, colors)
    _shade_campaigns(axes, _campaign_spans(institutions))
    _mark_events(axes, events or [])
    _add_legend(fig, axes, changed)
    if title:
        fig.suptitle(title)
    return fig


def event_marks(scenario: dict) -> list[tuple[int, str]]:
    """Return the steps and labels of a scenario's scheduled events (``at``, ``every``).

    A label is the event's name, or its action's kind and firm or path.
    """
    marks = []
    for event in scenario.get("events", []):
        action = event["action"]
        what = action.get("firm") or action.get("path") or action.get("institution") or ""
        label = event.get("name") or f"{action['kind']} {what}".strip()
        if event.get("at") is not None:
            marks.append((event["at"], label))
        elif event.get("every") is not None:
            last = event.get("stop") or scenario.get("steps", 0)
            steps = range(event.get("start", 1), last + 1, event["every"])
            marks += [(step, label if k == 0 else "") for k, step in enumerate(steps)]
    return marks


def _mark_events(axes: list, marks: list[tuple[int, str]]) -> None:
    """Draw each event as a dotted vertical line; label it at the top of the first panel."""
    for step, label in marks:
        for ax in axes:
            ax.axvline(step, color="0.25", linestyle=":", linewidth=1.0, zorder=1)
        if label:
            axes[0].annotate(
                label, (step, 1.0), xycoords=("data", "axes fraction"), xytext=(2, -2),
                textcoords="offset points", rotation=90, va="top", ha="left", fontsize=7,
                color="0.25",
            )  # fmt: skip


def save_figure(fig: Figure, path: str | os.PathLike[str]) -> Path:
    """Write ``fig`` as PNG to ``path`` atomically.

    The image is written to a hidden temporary file in the same folder and then
    moved over ``path`` with :meth:`pathlib.Path.replace` (:func:`os.replace`),
    so readers never see a half-written file. The temporary file is removed if saving fails.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        Figure to save, at its own dpi.
    path : str or os.PathLike
        Target file; its folder must exist. An existing file is replaced.

    Returns
    -------
    pathlib.Path
        The path written.
    """
    target = Path(path)
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    try:
        with tmp.open("xb") as fh:
            fig.savefig(fh, format="png", dpi="figure")
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(target)  # os.replace: atomic within one file system
    finally:
        tmp.unlink(missing_ok=True)
    return target


def _check_columns(table: pd.DataFrame, required: Sequence[str], name: str) -> None:
    """Raise ValueError naming the required columns that ``table`` lacks."""
    missing = [c for c in required if c not in table.columns]
    if missing:
        raise ValueError(
            f"{name} lacks columns {missing} (has {list(table.columns)}); "
            "pass the table written by the model."
        )


def _firm_frames(timeseries: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Split ``timeseries`` into one step-sorted frame per firm, ordered by ``firm_index``."""
    ordered = timeseries.sort_values(["firm_index", "step"], kind="stable")
    return {str(firm): frame for firm, frame in ordered.groupby("firm", sort=False)}


def _plot_panel(
    ax: Axes,
    frames: dict[str, pd.DataFrame],
    colors: dict[str, str],
    column: str,
    factor: float,
) -> None:
    """Draw one labelled line per firm of ``column * factor`` against step."""
    for firm, frame in frames.items():
        start = str(frame["strategy"].iloc[0])
        ax.plot(
            frame["step"].to_numpy(),
            frame[column].to_numpy(dtype=float) * factor,
            color=colors[firm],
            linestyle=STRATEGY_STYLES.get(start, _UNKNOWN_STRATEGY_STYLE),
            linewidth=1.6,
            label=f"{firm} ({start})",
        )


def _format_axes(axes: list[Axes], steps: pd.Series) -> None:
    """Set limits, zero lines, grids and the x label shared by all panels."""
    first, last = int(steps.min()), int(steps.max())
    axes[0].set_xlim(first, max(last, first + 1))
    axes[0].xaxis.set_major_locator(MaxNLocator(integer=True))
    for ax, (column, factor, _, _) in zip(axes, PANELS, strict=True):
        if factor == 100.0:  # a share: from 0, with a little room so lines at 0 stay visible
            top = max(ax.get_ylim()[1], 1.0)
            ax.set_ylim(-0.03 * top, top)
        elif column == "trust_in_firm":
            ax.set_ylim(-0.03, 1.05)
        else:  # opinion and profit: either sign
            ax.axhline(0.0, color="0.4", linewidth=0.6, zorder=1)
        if column == "mean_opinion":
            ax.set_ylim(-1.05, 1.05)
    for ax in axes[-3:]:
        ax.set_xlabel(_X_LABEL)
    for ax in axes:
        ax.grid(True, color="0.92", linewidth=0.6)
        ax.set_axisbelow(True)


def _mark_strategy_changes(
    ax: Axes, frames: dict[str, pd.DataFrame], colors: dict[str, str]
) -> bool:
    """Mark each step where a firm's strategy changes; return whether any did.

    Markers take the firm's colour. Each is annotated with the new strategy
    unless there are more than ``_MAX_ANNOTATED_CHANGES``, where the labels
    would pile up.
    """
    switches = {firm: _strategy_switches(frame) for firm, frame in frames.items()}
    switches = {firm: rows for firm, rows in switches.items() if not rows.empty}
    for firm, rows in switches.items():
        ax.plot(
            rows["step"].to_numpy(),
            rows["profit"].to_numpy(dtype=float),
            linestyle="none",
            marker="o",
            markersize=6,
            markerfacecolor=colors[firm],
            markeredgecolor="black",
            zorder=3,
            gid=STRATEGY_CHANGE_GID,
            label="_nolegend_",
        )
    if sum(len(rows) for rows in switches.values()) <= _MAX_ANNOTATED_CHANGES:
        for rows in switches.values():
            _annotate_switches(ax, rows)
    return bool(switches)


def _mark_responses(ax: Axes, frames: dict[str, pd.DataFrame], colors: dict[str, str]) -> None:
    """Draw each run of steps with the same response as a bar in the firm's colour at y = 0."""
    runs = []
    for firm, frame in frames.items():
        if "response" not in frame:
            return  # a table written before firms answered
        move = frame["response"].fillna("").astype(str)
        starts = frame[move.ne(move.shift()) & move.ne("")]
        for step, what in starts[["step", "response"]].itertuples(index=False):
            last = frame[(frame["step"] >= step) & move.ne(what)]["step"]
            end = last.iloc[0] if len(last) else frame["step"].iloc[-1] + 1
            runs.append((firm, step, end, what))
    for firm, start, end, _ in runs:
        ax.plot([start, end], [0.0, 0.0], color=colors[firm], linewidth=6, alpha=0.6,
                solid_capstyle="butt", gid=RESPONSE_GID, label="_nolegend_", zorder=3)  # fmt: skip
    if len(runs) <= _MAX_ANNOTATED_CHANGES:
        for firm, start, _, what in runs:
            ax.annotate(what, (start, 0.0), xytext=(2, 5), textcoords="offset points",
                        fontsize=7, color=colors[firm])  # fmt: skip


def _strategy_switches(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows of a step-sorted firm frame whose strategy differs from the previous step's."""
    strategy = frame["strategy"].astype(str)
    previous = strategy.shift()
    return frame[strategy.ne(previous) & previous.notna()]


def _annotate_switches(ax: Axes, rows: pd.DataFrame) -> None:
    """Write "→ <new strategy>" next to each strategy-change marker."""
    for step, profit, new in rows[["step", "profit", "strategy"]].itertuples(index=False):
        ax.annotate(
            f"→ {new}",
            (step, profit),
            xytext=(5, 5),
            textcoords="offset points",
            fontsize=7,
            color="0.25",
            bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none",
                  "alpha": 0.8},
        )  # fmt: skip


def _campaign_spans(institutions: pd.DataFrame | None) -> list[tuple[str, int, int]]:
    """List runs of consecutive campaigning steps as (label, first step, last step)."""
    if institutions is None:
        return []
    active = institutions[institutions["campaigning"].astype(bool)]
    spans = []
    for (inst, firm), frame in active.groupby(["institution", "firm"], sort=False):
        steps = frame["step"].drop_duplicates().sort_values()
        run_id = steps.diff().ne(1).cumsum()
        for _, run in steps.groupby(run_id):
            spans.append((f"campaign: {inst} vs {firm}", int(run.iloc[0]), int(run.iloc[-1])))
    return spans


def _shade_campaigns(axes: list[Axes], spans: list[tuple[str, int, int]]) -> None:
    """Shade each campaign span on every panel; label each campaign once, on the first panel."""
    hatches = {}
    for label, first, last in spans:
        fresh = label not in hatches
        hatch = hatches.setdefault(label, _CAMPAIGN_HATCHES[len(hatches) % len(_CAMPAIGN_HATCHES)])
        for i, ax in enumerate(axes):
            ax.axvspan(
                first - 0.5,
                last + 0.5,
                facecolor=_CAMPAIGN_COLOR,
                edgecolor="0.6" if hatch else "none",
                hatch=hatch,
                linewidth=0,
                alpha=0.6,
                zorder=0,
                gid=CAMPAIGN_GID,
                label=label if fresh and i == 0 else "_nolegend_",
            )


def _add_legend(fig: Figure, axes: list[Axes], changed: bool) -> None:
    """Put one legend for all panels below them: a row block of firms, then one of extras.

    Extras are the campaign spans and, if ``changed``, the strategy-change marker.
    Matplotlib fills legend columns top to bottom, so the entries are padded with
    blank cells and handed over column by column to read as rows.
    """
    handles, labels = axes[0].get_legend_handles_labels()
    entries = list(zip(handles, labels, strict=True))
    firms = [e for e in entries if e[0].get_gid() != CAMPAIGN_GID]
    extras = [e for e in entries if e[0].get_gid() == CAMPAIGN_GID]
    if changed:
        marker = Line2D([], [], linestyle="none", marker="o", markerfacecolor="white",
                        markeredgecolor="black", markersize=6)  # fmt: skip
        extras.append((marker, "strategy change (profit panel)"))
    ncols = min(max(len(firms), len(extras)), _LEGEND_MAX_COLS)
    rows = _legend_rows(firms, ncols) + _legend_rows(extras, ncols)
    cells = [row[col] for col in range(ncols) for row in rows]
    fig.legend(*zip(*cells, strict=True), loc="outside lower center", ncols=ncols, frameon=False)


def _legend_rows(entries: list[tuple[Artist, str]], ncols: int) -> list[list[tuple[Artist, str]]]:
    """Cut legend entries into rows of ``ncols``, padding the last row with blank cells."""
    blank = (Line2D([], [], linestyle="none"), "")
    padded = entries + [blank] * (-len(entries) % ncols)
    return [padded[i : i + ncols] for i in range(0, len(padded), ncols)]


# ----------------------------------------------------------------- opinion distribution
def opinion_figure(
    opinion: ArrayLike,
    boycott: ArrayLike,
    firm_names: Sequence[str],
    *,
    bins: int = 40,
    title: str = "",
) -> Figure:
    """Histogram of the consumers' opinions of each firm, boycotters stacked and hatched.

    One panel per firm (three per row), titled with the firm's name, bars in the
    firm's colour (:func:`firm_colors`); consumers boycotting the firm are stacked on
    top with a hatch, so the panel also shows where on the opinion scale the boycott
    sits. A dashed black line marks the mean opinion.

    Parameters
    ----------
    opinion : array_like of float, shape (n, F)
        Opinion of each consumer of each firm, in [-1, 1] (``model.consumers.opinion``).
    boycott : array_like of bool, shape (n, F)
        Whether each consumer boycotts each firm (``model.consumers.boycott``).
    firm_names : sequence of str, length F
        Firm names in firm order.
    bins : int, optional
        Number of equal bins on [-1, 1], >= 1.
    title : str, optional
        Figure title; none if empty.

    Returns
    -------
    matplotlib.figure.Figure
        y axis: share of all consumers, %; bars of a panel sum to 100.

    Raises
    ------
    ValueError
        If the shapes disagree with each other or with ``firm_names``, or ``bins < 1``.

    Examples
    --------
    >>> people = model.consumers
    >>> fig = opinion_figure(people.opinion, people.boycott, [f.name for f in model.firms])
    """
    opinion, boycott = _per_firm_arrays(opinion, boycott, firm_names)
    if bins < 1:
        raise ValueError(f"bins must be >= 1 ({bins=})")
    names = list(firm_names)
    colors = firm_colors(names)
    ncols = min(len(names), 3)
    nrows = math.ceil(len(names) / ncols)
    fig = Figure(figsize=(3.8 * ncols, 2.6 * nrows + 0.7), dpi=120, layout="constrained")
    axes = fig.subplots(nrows, ncols, sharex=True, sharey=True, squeeze=False).ravel()
    edges = np.linspace(-1.0, 1.0, bins + 1)
    for f, (ax, name) in enumerate(zip(axes, names, strict=False)):
        _opinion_histogram(ax, opinion[:, f], boycott[:, f], edges, colors[name])
        ax.set_title(name)
    for ax in axes[len(names) :]:
        ax.set_visible(False)
    for ax in axes[(nrows - 1) * ncols :]:
        ax.set_xlabel(_OPINION_LABEL)
    for ax in axes[::ncols]:
        ax.set_ylabel("share of consumers, %")
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncols=3,
               frameon=False)  # fmt: skip
    if title:
        fig.suptitle(title)
    return fig


def _per_firm_arrays(
    opinion: ArrayLike, boycott: ArrayLike, firm_names: Sequence[str]
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Check and convert the (n, F) opinion and boycott arrays."""
    opinion = np.asarray(opinion, dtype=np.float64)
    boycott = np.asarray(boycott, dtype=np.bool_)
    shape = (opinion.shape[0] if opinion.ndim == 2 else -1, len(firm_names))
    if opinion.shape != shape or boycott.shape != shape or shape[0] < 1:
        raise ValueError(
            f"opinion and boycott must both have shape (n >= 1, {len(firm_names)} firms) "
            f"({opinion.shape=}, {boycott.shape=}); pass model.consumers.opinion and .boycott."
        )
    return opinion, boycott


def _opinion_histogram(
    ax: Axes, opinion: NDArray[np.float64], boycott: NDArray[np.bool_], edges, color: str
) -> None:
    """Stack the opinion histograms of non-boycotters and (hatched) boycotters, in %."""
    weight = 100.0 / opinion.shape[0]
    groups = [opinion[~boycott], opinion[boycott]]
    _, _, containers = ax.hist(
        groups,
        bins=edges,
        weights=[np.full(g.shape[0], weight) for g in groups],
        stacked=True,
        color=[color, color],
        edgecolor="black",
        linewidth=0.3,
        label=["not boycotting", "boycotting"],
    )
    for patch in containers[1]:
        patch.set_hatch("////")
    ax.axvline(opinion.mean(), color="black", linestyle="--", linewidth=1.0, label="mean opinion")
    ax.set_xlim(-1.0, 1.0)
    ax.grid(True, axis="y", color="0.92", linewidth=0.6)
    ax.set_axisbelow(True)


# ------------------------------------------------------------------------- cascades
def cascade_sizes(timeseries: pd.DataFrame, column: str = "boycott_joins") -> dict[str, NDArray]:
    """Cut each firm's series of new boycotters into waves and return the wave sizes.

    A wave is a maximal run of consecutive steps in which ``column`` is > 0; its size
    is the sum of ``column`` over the run. With ``boycott_joins`` (the default) a wave
    is a boycott cascade and its size the number of consumers who joined during it;
    with ``messages`` it is a word-of-mouth cascade measured in messages.

    Parameters
    ----------
    timeseries : pandas.DataFrame
        One row per (step, firm) with columns ``step``, ``firm``, ``firm_index`` and
        ``column`` (counts >= 0), e.g. ``timeseries.parquet`` of a run.
    column : str, optional
        The per-step count to cut into waves.

    Returns
    -------
    dict of str to ndarray of int64
        Firm name -> sizes of its waves in time order (empty if none); firms in
        ``firm_index`` order.

    Examples
    --------
    >>> ts = pd.DataFrame({"step": range(6), "firm": "A", "firm_index": 0,
    ...                    "boycott_joins": [0, 3, 2, 0, 0, 4]})
    >>> cascade_sizes(ts)
    {'A': array([5, 4])}
    """
    _check_columns(timeseries, ("step", "firm", "firm_index", column), "timeseries")
    sizes = {}
    for firm, frame in _firm_frames(timeseries).items():
        counts = frame[column].to_numpy(dtype=np.int64)
        active = counts > 0
        wave = np.cumsum(active & ~np.concatenate(([False], active[:-1])))
        sizes[firm] = np.bincount(wave[active], weights=counts[active])[1:].astype(np.int64)
    return sizes


def cascade_size_figure(
    sizes: Mapping[str, ArrayLike],
    *,
    xlabel: str = "cascade size s, consumers",
    title: str = "",
) -> Figure:
    """Plot the complementary cumulative distribution of cascade sizes on log-log axes.

    One line per entry of ``sizes`` (a firm from :func:`cascade_sizes`, a scenario, a
    parameter value ...), coloured by position with :func:`firm_colors`. The curve is
    P(S >= s), the share of cascades of size at least s, which shows heavy tails
    without binning.

    Parameters
    ----------
    sizes : mapping of str to array_like of int
        Label -> cascade sizes, each > 0 (zeros are dropped: nothing spread). A label
        with no cascades is listed in the legend as "(none)".
    xlabel : str, optional
        Label of the x axis, with the unit of the sizes.
    title : str, optional
        Axes title; none if empty.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If ``sizes`` is empty or holds a negative size.
    """
    if not sizes:
        raise ValueError("sizes is empty; pass at least one label -> sizes entry.")
    fig = Figure(figsize=(6.0, 4.2), dpi=120, layout="constrained")
    ax = fig.subplots()
    colors = firm_colors(list(sizes))
    for label, values in sizes.items():
        values = np.asarray(values, dtype=np.float64).ravel()
        if (values < 0).any():
            raise ValueError(f"cascade sizes must be >= 0 (label {label!r}: {values.min()=})")
        values = values[values > 0]
        if values.size == 0:
            ax.plot([], [], color=colors[label], label=f"{label} (none)")
            continue
        size, count = np.unique(values, return_counts=True)
        at_least = 1.0 - np.concatenate(([0], np.cumsum(count)[:-1])) / values.size
        ax.plot(size, at_least, color=colors[label], marker="o", markersize=3,
                drawstyle="steps-pre", label=f"{label} ({values.size} cascades)")  # fmt: skip
    ax.set(xscale="log", yscale="log", xlabel=xlabel, ylabel="share of cascades with size ≥ s")
    ax.grid(True, which="both", color="0.92", linewidth=0.6)
    ax.legend(frameon=False)
    if title:
        ax.set_title(title)
    return fig


# -------------------------------------------------------------------------- networks
def graph_layout(graph, *, seed: int = 0, iterations: int = 50) -> NDArray[np.float64]:
    """Place the nodes of a small graph with the Fruchterman–Reingold force model.

    Neighbours attract with force d²/k and all pairs repel with k²/d, where
    k = sqrt(1/n) (Fruchterman & Reingold 1991, "Graph drawing by force-directed
    placement", as in ``networkx.spring_layout``); each iteration moves a node by at
    most a temperature that cools linearly from 0.1. Start positions are
    counter-based uniforms, so a graph and a seed always give the same layout. The
    repulsion is computed densely: O(n²) time and memory per iteration (about 1 s
    for 2,000 nodes), which is why layouts are computed once per graph and reused.

    Parameters
    ----------
    graph : CSRGraph
        Undirected graph with ``indptr`` and ``indices`` and at most
        :data:`MAX_NETWORK_NODES` nodes.
    seed : int, optional
        Seed of the start positions, >= 0.
    iterations : int, optional
        Number of force iterations, >= 0.

    Returns
    -------
    ndarray of float64, shape (n, 2)
        Node positions (arbitrary units; draw with equal aspect).

    Raises
    ------
    ValueError
        If the graph has more than :data:`MAX_NETWORK_NODES` nodes.
    """
    n = graph.n
    if n > MAX_NETWORK_NODES:
        raise ValueError(
            f"graph_layout draws at most {MAX_NETWORK_NODES} nodes ({n=}); "
            "plot tables, not the graph, for larger populations."
        )
    slots = np.arange(n, dtype=np.int64)
    x = rng.uniform(seed, rng.stable_hash("viz.layout.x"), 0, slots)
    y = rng.uniform(seed, rng.stable_hash("viz.layout.y"), 0, slots)
    rows = np.repeat(slots, graph.degree())
    k2 = 1.0 / max(n, 1)
    temperature, cooling = 0.1, 0.1 / (iterations + 1)
    for _ in range(iterations):
        fx, fy = _repulsion(x, y, k2)
        ex, ey = x[rows] - x[graph.indices], y[rows] - y[graph.indices]
        pull = np.hypot(ex, ey) / math.sqrt(k2)
        fx -= np.bincount(rows, ex * pull, minlength=n)
        fy -= np.bincount(rows, ey * pull, minlength=n)
        step = temperature / np.maximum(np.hypot(fx, fy), 1e-2)
        x += fx * step
        y += fy * step
        temperature -= cooling
    return np.column_stack([x, y])


def _repulsion(
    x: NDArray[np.float64], y: NDArray[np.float64], k2: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Sum over j of (p_i - p_j) k² / |p_i - p_j|² for every node i (distances >= 0.01)."""
    dx = x[:, None] - x[None, :]
    dy = y[:, None] - y[None, :]
    weight = k2 / np.maximum(dx * dx + dy * dy, 1e-4)
    return np.einsum("ij,ij->i", dx, weight), np.einsum("ij,ij->i", dy, weight)


def boycott_spread_figure(
    graph,
    snapshots: Mapping[int, tuple[ArrayLike, ArrayLike]],
    *,
    positions: ArrayLike | None = None,
    firm: str = "",
    title: str = "",
) -> Figure:
    """Draw the graph once per snapshot, nodes coloured by opinion, boycotters marked.

    Each panel shows the same layout: edges in light grey, consumers as dots coloured
    by their opinion of ``firm`` on :data:`DIVERGING_CMAP` (red negative, blue
    positive), boycotters as larger squares with a black edge (shape, not colour,
    marks the boycott). Panel titles give the step and the boycott share.

    Parameters
    ----------
    graph : CSRGraph
        The social graph, at most :data:`MAX_NETWORK_NODES` consumers.
    snapshots : mapping of int to (opinion, boycott)
        Step -> (opinion of the firm, float in [-1, 1], shape (n,); boycotting the
        firm, bool, shape (n,)), e.g. ``{t: (people.opinion[:, f], people.boycott[:, f])}``.
    positions : array_like of float, shape (n, 2), optional
        Node positions; default :func:`graph_layout` (pass them to draw many
        figures of one graph without recomputing the layout).
    firm : str, optional
        Firm name, used in the colour-bar label and legend.
    title : str, optional
        Figure title; none if empty.

    Returns
    -------
    matplotlib.figure.Figure
        Up to four panels per row and one shared colour bar.

    Raises
    ------
    ValueError
        If ``snapshots`` is empty, the graph is too large, or an array has the wrong shape.
    """
    if not snapshots:
        raise ValueError("snapshots is empty; pass at least one step -> (opinion, boycott).")
    n = graph.n
    pos = graph_layout(graph) if positions is None else np.asarray(positions, dtype=np.float64)
    if pos.shape != (n, 2) or n > MAX_NETWORK_NODES:
        raise ValueError(
            f"positions must have shape ({n}, 2) for a graph of at most {MAX_NETWORK_NODES} "
            f"nodes ({pos.shape=})"
        )
    ncols = min(len(snapshots), 4)
    nrows = math.ceil(len(snapshots) / ncols)
    fig = Figure(figsize=(3.4 * ncols + 0.9, 3.4 * nrows + 0.5), dpi=120, layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    rows = np.repeat(np.arange(n), graph.degree())
    upper = rows < graph.indices
    segments = np.stack([pos[rows[upper]], pos[graph.indices[upper]]], axis=1)
    size = float(np.clip(4000.0 / max(n, 1), 4.0, 60.0))
    norm = Normalize(-1.0, 1.0)
    for ax, (step, (opinion, boycott)) in zip(axes, snapshots.items(), strict=False):
        opinion, boycott = _node_values(opinion, boycott, n, step)
        ax.add_collection(LineCollection(segments, colors="0.8", linewidths=0.3, zorder=0))
        ax.scatter(*pos[~boycott].T, c=opinion[~boycott], cmap=DIVERGING_CMAP, norm=norm,
                   s=size, edgecolors="0.55", linewidths=0.3, zorder=1)  # fmt: skip
        ax.scatter(*pos[boycott].T, c=opinion[boycott], cmap=DIVERGING_CMAP, norm=norm,
                   s=2 * size, marker="s", edgecolors="black", linewidths=0.6,
                   gid=BOYCOTT_GID, zorder=2)  # fmt: skip
        ax.set_title(f"step {step}: {boycott.mean():.0%} boycotting")
        ax.set_aspect("equal")
        ax.set_axis_off()
    for ax in axes[len(snapshots) :]:
        ax.set_visible(False)
    mappable = ScalarMappable(norm=norm, cmap=DIVERGING_CMAP)
    label = f"opinion of {firm}, [-1, 1]" if firm else _OPINION_LABEL
    fig.colorbar(mappable, ax=axes.tolist(), label=label, shrink=0.8)
    fig.legend(handles=_node_legend(firm), loc="outside lower center", ncols=2, frameon=False)
    if title:
        fig.suptitle(title)
    return fig


def _node_legend(firm: str) -> list[Line2D]:
    """Legend proxies: a neutral dot for other consumers, a black-edged square for boycotters."""
    other = Line2D([], [], linestyle="none", marker="o", markersize=5, markerfacecolor="white",
                   markeredgecolor="0.55", label="not boycotting")  # fmt: skip
    boycotting = Line2D([], [], linestyle="none", marker="s", markersize=6,
                        markerfacecolor="white", markeredgecolor="black",
                        label=f"boycotting {firm}".strip())  # fmt: skip
    return [other, boycotting]


def _node_values(
    opinion: ArrayLike, boycott: ArrayLike, n: int, step: int
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Check and convert one snapshot's per-node opinion and boycott arrays."""
    opinion = np.asarray(opinion, dtype=np.float64)
    boycott = np.asarray(boycott, dtype=np.bool_)
    if opinion.shape != (n,) or boycott.shape != (n,):
        raise ValueError(
            f"snapshot {step}: opinion and boycott must have shape ({n},) "
            f"({opinion.shape=}, {boycott.shape=}); pass one firm's column."
        )
    return opinion, boycott


# ---------------------------------------------------------------------------- sweeps
def sweep_heatmap(
    table: pd.DataFrame,
    x: str,
    y: str,
    metric: str,
    *,
    agg: str = "mean",
    center: float | None = None,
    labels: Mapping[str, str] | None = None,
    title: str = "",
) -> Figure:
    """Heatmap of a sweep output over two parameters, aggregated over replicates.

    Each cell is ``agg`` of ``metric`` over the runs with that (x, y) pair, written
    in the cell; pairs without runs stay blank. Parameter values are treated as
    categories (one column or row per distinct value, in ascending order), which
    suits grid designs; bin the parameters of random or Sobol designs first.

    Parameters
    ----------
    table : pandas.DataFrame
        Tidy sweep table, one row per run, with columns ``x``, ``y`` and ``metric``
        (e.g. the table ``swarmsim collect`` writes).
    x, y : str
        Parameter columns for the horizontal and vertical axes, e.g.
        ``"consumers.information_parity"``.
    metric : str
        Numeric output column, e.g. ``"final_market_share[Persuado]"``.
    agg : str, optional
        Pandas aggregation over replicates: ``"mean"``, ``"median"``, ``"std"``, ...
    center : float, optional
        If given, use the diverging :data:`DIVERGING_CMAP` centred on this value
        (e.g. 0 for a profit difference); else :data:`SEQUENTIAL_CMAP`.
    labels : mapping of str to str, optional
        Axis and colour-bar labels with units by column name, e.g.
        ``{"consumers.information_parity": "information parity, [0, 1]"}``;
        unlisted columns are labelled with their name.
    title : str, optional
        Axes title; none if empty.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If a column is missing, ``metric`` is not numeric or ``table`` has no rows.

    Examples
    --------
    >>> fig = sweep_heatmap(table, "consumers.information_parity",
    ...                     "consumers.mavens.share", "final_boycott_share")
    """
    _check_columns(table, (x, y, metric), "table")
    if table.empty:
        raise ValueError("table has no rows; run the sweep first.")
    if not pd.api.types.is_numeric_dtype(table[metric]):
        raise ValueError(f"metric {metric!r} must be numeric (dtype {table[metric].dtype})")
    grid = table.pivot_table(index=y, columns=x, values=metric, aggfunc=agg, dropna=False)
    grid = grid.sort_index().sort_index(axis=1)
    values = grid.to_numpy(dtype=np.float64)
    names = dict(labels or {})
    fig = Figure(figsize=(1.0 + 0.9 * max(grid.shape[1], 4), 1.2 + 0.6 * max(grid.shape[0], 4)),
                 dpi=120, layout="constrained")  # fmt: skip
    ax = fig.subplots()
    cmap, norm = _heatmap_scale(values, center)
    image = ax.imshow(values, origin="lower", aspect="auto", cmap=cmap, norm=norm)
    _annotate_cells(ax, values, image)
    ax.set_xticks(range(grid.shape[1]), [_tick_label(v) for v in grid.columns])
    ax.set_yticks(range(grid.shape[0]), [_tick_label(v) for v in grid.index])
    ax.set(xlabel=names.get(x, x), ylabel=names.get(y, y))
    fig.colorbar(image, ax=ax, label=f"{names.get(metric, metric)} ({agg} over replicates)")
    if title:
        ax.set_title(title)
    return fig


def _tick_label(value: object) -> str:
    """Format a parameter value compactly: numbers with ``:g``, anything else with ``str``."""
    number = isinstance(value, int | float | np.number) and not isinstance(value, bool)
    return f"{value:g}" if number else str(value)


def _heatmap_scale(values: NDArray[np.float64], center: float | None):
    """Sequential map and linear norm, or diverging map and a norm centred on ``center``."""
    finite = values[np.isfinite(values)]
    low, high = (finite.min(), finite.max()) if finite.size else (0.0, 1.0)
    if center is None:
        return SEQUENTIAL_CMAP, Normalize(low, high if high > low else low + 1.0)
    half = max(abs(high - center), abs(center - low)) or 1.0
    return DIVERGING_CMAP, TwoSlopeNorm(center, center - half, center + half)


def _annotate_cells(ax: Axes, values: NDArray[np.float64], image) -> None:
    """Write each finite cell value (3 significant digits, whole numbers from 1,000 on).

    The text is black or white, whichever contrasts more with the cell colour.
    """
    scale = np.nanmax(np.abs(values), initial=0.0)
    for (row, col), value in np.ndenumerate(values):
        if not np.isfinite(value):
            continue
        value = 0.0 if abs(value) <= 1e-9 * scale else value  # print rounding noise as 0
        red, green, blue, _ = image.cmap(image.norm(value))
        light = 0.299 * red + 0.587 * green + 0.114 * blue > 0.5
        text = f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"
        ax.text(col, row, text, ha="center", va="center", fontsize=8,
                color="black" if light else "white")  # fmt: skip


# ------------------------------------------------------------------------ run figures
RUN_FIGURES: tuple[str, ...] = ("summary.png", "cascades.png")
"""Files :func:`write_run_figures` writes."""


def write_run_figures(results, out_dir: str | os.PathLike[str]) -> list[Path]:
    """Draw and save the figures of a finished run from its tables.

    Parameters
    ----------
    results : Results
        A loaded results folder (:func:`swarmsim.results.load_results`): its
        ``timeseries``, ``institutions`` and ``manifest``.
    out_dir : str or os.PathLike
        Folder for the PNG files (created if missing); existing files are replaced
        atomically.

    Returns
    -------
    list of pathlib.Path
        The files written, in the order of :data:`RUN_FIGURES`: ``summary.png``
        (:func:`summary_figure`) and ``cascades.png`` (:func:`cascade_size_figure`
        of the boycott waves from :func:`cascade_sizes`).

    Raises
    ------
    OutputError
        If ``out_dir`` cannot be created.
    """
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{out}: cannot create the figure folder ({exc.strerror})") from None
    name = results.manifest.get("scenario", {}).get("name", Path(results.path).name)
    timeseries = results.timeseries
    figures = {
        "summary.png": summary_figure(
            timeseries, results.institutions, title=name,
            events=event_marks(results.manifest.get("scenario", {})),
        ),
        "cascades.png": cascade_size_figure(
            cascade_sizes(timeseries), title=f"{name}: boycott waves"
        ),
    }
    return [save_figure(figures[file], out / file) for file in RUN_FIGURES]
