"""Benchmark runners and their metrics."""
