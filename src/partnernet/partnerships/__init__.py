"""Partnerships: the shared registry of who works with which institution, of what type, where."""
