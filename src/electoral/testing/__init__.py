"""Helpers for testing code that uses :mod:`electoral` (see :mod:`electoral.testing.strategies`)."""
