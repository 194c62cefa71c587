"""The pages every visitor meets: overview, language, accessibility statement, health check."""
