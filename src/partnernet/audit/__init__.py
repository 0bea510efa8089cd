"""Audit: who changed what, when — one event per change, written by the services that make changes."""
