"""Annual reporting: the deadline and the five year-end steps, what they read and change."""
