"""Composite electoral systems: district returns, tiers, thresholds, seat results and presets.

The public face is :mod:`electoral.systems`; :func:`electoral.io.read_returns` reads returns.
"""
