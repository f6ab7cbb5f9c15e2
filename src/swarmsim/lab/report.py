"""The summary table that ``swarmsim bench`` prints: one row per figure, no verdicts."""

from __future__ import annotations

from typing import Any

__all__ = ["ok", "table_rows"]

_FIGURES = {
    "full_wall_seconds": "full model, 1 thread, wall seconds (graph included)",
    "full_peak_gb": "full model, peak resident GB",
    "speedup_2_threads": "full model, 1-thread time / 2-thread time",
    "numba_vs_numpy": "numpy time / numba time of the steps (1 thread)",
    "huge_wall_seconds": "huge model, 1 thread, wall seconds",
    "huge_peak_gb": "huge model, peak resident GB",
}


def ok(*runs: dict[str, Any]) -> bool:
    """Whether none of ``runs`` is a failed task's ``{"error": ...}``."""
    return not any("error" in run for run in runs)


def table_rows(results: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Rows (measurement, tool or figure, value) of the printed summary."""
    rows = [("FAILED", "", error) for error in results["failed"]]
    threshold = results["threshold_cascade"]
    for name, tool in threshold.get("tools", {}).items():
        rows.append((
            f"threshold cascade n={threshold['n']:,}", name,
            f"{tool['seconds']:.4g} s, {tool['edge_visits_per_second'] / 1e6:.3g} M edge visits/s,"
            f" final size {tool['final_size']:,}",
        ))  # fmt: skip
    if "same_final_size" in threshold:
        rows.append(("", "same final size", str(threshold["same_final_size"])))
    independent = results["independent_cascade"]
    for name, tool in independent.get("tools", {}).items():
        rows.append((
            f"independent cascade p={independent['p']}", name,
            f"{tool['seconds']:.4g} s, mean final size {tool['mean_final_size']:,.0f}",
        ))  # fmt: skip
    for label, part in (("threshold cascade", threshold), ("independent cascade", independent)):
        for peer, ratio in part.get("speed_ratio", {}).items():
            cpu = part["speed_ratio_cpu"][peer]
            rows.append((
                f"{label}, speed ratio", f"{peer} time / swarmsim time",
                f"{ratio:.3g} wall, {cpu:.3g} CPU",
            ))  # fmt: skip
    for label, run in [*results["full_model"].items(), ("huge", results["huge"])]:
        if run is None or not ok(run):
            continue
        rows.append((
            f"full model n={run['n']:,}, {run['steps']} steps", f"{run['backend']}, {label}",
            f"{run['seconds']:.3g} s wall (graph {run['graph_seconds']:.2g} s, init "
            f"{run['init_seconds']:.2g} s), peak {run['peak_rss_gb']:.2f} GB "
            f"(estimate {run['estimate_gb']:.2f} GB)",
        ))  # fmt: skip
    for point in results["scaling"]:
        rows.append(("scaling", f"n={point['n']:,}", f"{point['seconds']:.3g} s"))
    for label, run in results["compilation"].items():
        if ok(run):
            rows.append(("first tiny run", label.replace("_", " "), f"{run['seconds']:.3g} s"))
    if ok(results["ceiling"]):
        for name, loop in results["ceiling"]["loops"].items():
            rows.append((
                "2-thread ceiling", name,
                f"{loop['1_thread']:.3g} -> {loop['2_threads']:.3g} {loop['unit']}: "
                f"{loop['speedup']:.2f}x",
            ))  # fmt: skip
    for name, value in results["figures"].items():
        figure = f"{value:.3g}"
        if name in results["figures_cpu"]:
            figure += f" wall, {results['figures_cpu'][name]:.3g} CPU"
        rows.append(("figure", _FIGURES.get(name, name), figure))
    return rows
