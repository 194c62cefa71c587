"""The evaluation dashboard: the web rendering of an Evaluation, its filters and its cache."""
