"""Exchange: the CSV / JSON Lines formats of FORMATS.md — import, export, seed and scale generation."""
