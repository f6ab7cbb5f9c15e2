"""Static matplotlib summaries of a finished run.

Figures are built as :class:`matplotlib.figure.Figure` objects, never through
``pyplot``: no global figure registry, no GUI backend, and nothing here calls
``matplotlib.use``. Saving to PNG goes through the Agg renderer that
``Figure.savefig`` picks for the ``png`` format.

Examples
--------
>>> fig = summary_figure(results.timeseries, results.institutions, title="baseline")
>>> save_figure(fig, "results/baseline/summary.png")
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

__all__ = [
    "CAMPAIGN_GID",
    "FIRM_PALETTE",
    "INSTITUTION_COLUMNS",
    "STRATEGY_CHANGE_GID",
    "STRATEGY_STYLES",
    "TIMESERIES_COLUMNS",
    "firm_colors",
    "save_figure",
    "summary_figure",
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

TIMESERIES_COLUMNS: tuple[str, ...] = (
    "step", "firm", "firm_index", "strategy",
    "market_share", "boycott_share", "mean_opinion", "profit",
)  # fmt: skip
"""Columns of the per-step, per-firm table that :func:`summary_figure` reads."""

INSTITUTION_COLUMNS: tuple[str, ...] = ("step", "institution", "firm", "campaigning")
"""Columns of the institutions table that :func:`summary_figure` reads."""

# (column, factor applied to the values, y label, panel title), in row-major panel order.
_PANELS: tuple[tuple[str, float, str, str], ...] = (
    ("market_share", 100.0, "share of consumers buying, %", "Market share"),
    ("boycott_share", 100.0, "share of consumers boycotting, %", "Boycott"),
    ("mean_opinion", 1.0, "mean opinion, [-1, 1]", "Opinion of the firm"),
    ("profit", 1.0, "profit, currency per step", "Profit"),
)
_PROFIT_PANEL = 3
_X_LABEL = "step (week)"
_LEGEND_MAX_COLS = 3
_MAX_ANNOTATED_CHANGES = 4
_CAMPAIGN_COLOR = "0.82"
_CAMPAIGN_HATCHES = (None, "//", "\\\\", "xx", "..")
CAMPAIGN_GID = "campaign"
"""``gid`` of the shaded campaign spans, so callers and tests can find them."""
STRATEGY_CHANGE_GID = "strategy-change"
"""``gid`` of the strategy-change markers on the profit panel."""


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
) -> Figure:
    """Draw market share, boycott share, mean opinion and profit per firm over time.

    The figure has 2 x 2 panels sharing the x axis (step, 1 step = 1 week):

    1. market share, % of all consumers who bought from the firm this step;
    2. boycott share, % of consumers boycotting the firm;
    3. mean opinion of the firm, in [-1, 1], with a thin zero line;
    4. profit, currency per step, with a thin zero line.

    Each firm is one line with the same colour (:func:`firm_colors`, by
    ``firm_index``) in every panel and the line style of its strategy at the
    first step (:data:`STRATEGY_STYLES`). The shared legend below the panels
    reads "<firm> (<starting strategy>)". Steps where a firm's strategy changes
    are marked on the profit panel and, if there are at most 4 such changes,
    annotated with the new strategy. Steps with an active institutional
    campaign are shaded light grey on every panel (hatched from the second
    campaign on), one legend entry per (institution, target firm).

    Parameters
    ----------
    timeseries : pandas.DataFrame
        One row per (step, firm), with at least the columns in
        :data:`TIMESERIES_COLUMNS`: ``step`` (int, >= 0), ``firm`` (str),
        ``firm_index`` (int, 0..F-1), ``strategy`` (str), ``market_share`` and
        ``boycott_share`` (fractions in [0, 1]), ``mean_opinion`` (in [-1, 1])
        and ``profit`` (currency per step).
    institutions : pandas.DataFrame, optional
        One row per (step, institution), with at least the columns in
        :data:`INSTITUTION_COLUMNS`: ``step``, ``institution`` (str), ``firm``
        (str, campaign target) and ``campaigning`` (bool). ``None`` or no
        active campaign means no shading.
    title : str, optional
        Figure title; none if empty.

    Returns
    -------
    matplotlib.figure.Figure
        About 11 x 7 inches at 120 dpi, constrained layout, not attached to pyplot.

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
    fig = Figure(figsize=(11, 7), dpi=120, layout="constrained")
    axes = fig.subplots(2, 2, sharex=True).ravel().tolist()
    frames = _firm_frames(timeseries)
    colors = firm_colors(list(frames))
    for ax, (column, factor, ylabel, panel_title) in zip(axes, _PANELS, strict=True):
        _plot_panel(ax, frames, colors, column, factor)
        ax.set(ylabel=ylabel, title=panel_title)
    _format_axes(axes, timeseries["step"])
    changed = _mark_strategy_changes(axes[_PROFIT_PANEL], frames, colors)
    _shade_campaigns(axes, _campaign_spans(institutions))
    _add_legend(fig, axes, changed)
    if title:
        fig.suptitle(title)
    return fig


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
    for ax in axes[:2]:  # start at 0, with a little room so lines at 0 stay visible
        top = ax.get_ylim()[1]
        ax.set_ylim(-0.03 * top, top)
    axes[2].set_ylim(-1.05, 1.05)
    for ax in axes[2:]:
        ax.axhline(0.0, color="0.4", linewidth=0.6, zorder=1)
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
