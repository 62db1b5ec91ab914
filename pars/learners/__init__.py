"""Learners: individual completions, their rules, the provider's directory, matching and
pre-validation."""
