"""Users, roles, login and permissions: the one place that decides who sees what."""
