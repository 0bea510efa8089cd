"""Partnernet: software for a distributed partnership model of a federated movement."""

__version__ = "0.1.0"
