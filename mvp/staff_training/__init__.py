"""Training in gender mainstreaming and norm-aware work across the administrations (issue 15)."""
