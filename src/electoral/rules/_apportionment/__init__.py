"""The apportionment family: divisor and largest-remainder methods, thresholds and mixed-member top-up."""
