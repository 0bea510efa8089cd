"""Web: server-rendered pages, and the commands that serve them."""
