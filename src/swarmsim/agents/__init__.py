"""Agents: consumers as arrays, firms and institutions as Mesa Agents."""
