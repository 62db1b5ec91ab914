"""Benchmarks (`make bench`): each prints its workload, its target and the measured figures."""
