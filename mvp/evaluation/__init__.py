"""The evaluation: pure computation of reach, fidelity and outcomes, suppressed before rendering."""
