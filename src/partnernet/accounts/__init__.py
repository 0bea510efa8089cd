"""People's accounts: personal API tokens, personal data export and deletion, and the login glue."""
