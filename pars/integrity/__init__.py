"""Integrity and independence: who controls an activity's content, what they disclosed, which
relationships are relevant and how each was mitigated, and what learners are told."""
