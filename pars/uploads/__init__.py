"""Uploads: one pipeline from a file to stored rows, background jobs, and the kinds of file."""
