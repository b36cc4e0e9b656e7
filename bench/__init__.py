"""Esep's national-scale benchmarks: `make bench` (bench/run.py) and `bench/generate` (bench/generate.py)."""
