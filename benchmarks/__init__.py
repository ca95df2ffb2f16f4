"""Speed targets, measured outside the unit tests: `make bench` (python -m benchmarks)."""
