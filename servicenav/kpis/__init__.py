"""Nyckeltal: a few key performance indicators on reachability, waiting time, lead time and
results, measured per unit and period."""
