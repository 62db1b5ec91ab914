"""Administration from the command line: the flask commands, backups, demo and benchmark data."""
