"""Federation: this instance's identity and the global identity of every record."""
