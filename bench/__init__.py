"""Benchmarks: scripts that time the heavy paths on generated data (`make bench`). They
print measurements; they pass or fail nothing."""
