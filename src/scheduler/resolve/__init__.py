"""Re-solving after changes: freeze the past, move as little as possible, say what moved."""
