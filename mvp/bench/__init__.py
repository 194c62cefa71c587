"""The benchmark of the evaluation: `flask bench` on a generated municipality."""
