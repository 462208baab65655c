"""Benchmarks: scripts run by hand (``python -m bench.deals_bench``), never by pytest."""
