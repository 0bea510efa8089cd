"""Support: requests for help from weaker entities and individuals, routed to the right steward."""
