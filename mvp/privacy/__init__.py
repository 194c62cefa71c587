"""Data protection: backup and restore, and the data protection officer's tools."""
