"""Accounts: providers' users and roles, signing in, login limits, and API tokens."""
