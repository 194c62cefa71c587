"""Pupil questionnaires: instruments, waves, anonymous answers, paper entry, import and linkage."""
