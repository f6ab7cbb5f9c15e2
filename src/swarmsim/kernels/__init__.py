"""Numerical kernels: counter-based random numbers and the per-phase maths."""
