"""Models of the merchants context."""
