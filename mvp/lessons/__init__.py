"""Lesson plans (curricula) and the lessons actually held, with attendance and fidelity."""
