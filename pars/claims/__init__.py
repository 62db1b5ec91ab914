"""Learners claim their own credit: claim links, the claim, evaluation, certificates."""
