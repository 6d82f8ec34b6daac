"""The runoff family: plurality, two-round, contingent and supplementary votes, and their statutory presets."""
