"""Schools and their pupil groups (classes) per school year."""
