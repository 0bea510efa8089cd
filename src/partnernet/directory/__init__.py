"""Directory: the movement's entities, the people's memberships in them, and external partners."""
