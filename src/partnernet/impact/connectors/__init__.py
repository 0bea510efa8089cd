"""Connectors to Wikimedia's public APIs: each reads one kind of source and returns measurements.

Connectors only read; they return plain ``Measurement`` rows, and ``impact.services`` decides what to store.
"""
