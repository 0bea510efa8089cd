"""The federation protocol as pure functions: what instances sign, send, verify and apply.

Instances trust nothing but a peer's pinned Ed25519 key, so everything here is about turning JSON into exact
bytes (``canonical``), signing those bytes (``signing``), naming instances and records (``identity``),
describing changes (``activities``), serving and checking pages of changes (``feed``), deciding what a
verified change does to local state (``changes``) and pacing the pulls from one peer (``sync``). The Django
``federation`` app does the HTTP and the database around these decisions.
"""
