"""Sustainability support for steward nodes: needs, pledges and capacity plans (issue 17)."""
