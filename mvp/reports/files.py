"""File names of the reports: mvp-utvardering-2024-25.pdf."""

from mvp.evaluation.results import Evaluation


def report_filename(evaluation: Evaluation, extension: str) -> str:
    """A plain ASCII file name with the period and the language."""
    period = evaluation.meta.period.replace("/", "-").replace("–", "_")
    suffix = "" if evaluation.meta.language.startswith("sv") else f"-{evaluation.meta.language}"
    return f"mvp-utvardering-{period}{suffix}.{extension}"
