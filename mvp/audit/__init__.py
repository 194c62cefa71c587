"""The audit log: who created, changed or deleted what, and when."""
