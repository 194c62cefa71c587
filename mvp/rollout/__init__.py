"""The rollout of MVP to every school: stages, readiness derived from data, and the plan."""
