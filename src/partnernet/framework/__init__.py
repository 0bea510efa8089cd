"""Framework: the taxonomy (partnership types, themes, M49 regions) and the stewardships held in its cells."""
