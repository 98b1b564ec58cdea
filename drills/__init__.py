"""Drills (issue 11): longer, scripted exercises of a whole installation — concurrency,
crash, mail outage, backup and restore, upgrade — on SQLite and PostgreSQL. `make drills`
runs them and prints what was done and what held; see `drills/__main__.py`."""
