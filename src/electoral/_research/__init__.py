"""The research toolkit's private parts.

Axiom checks on the pairwise matrix, the axiom search, array generators and simulation measures.
"""
