"""Plots and apps for swarmsim results; import submodules directly, e.g. ``swarmsim.viz.plots``."""
