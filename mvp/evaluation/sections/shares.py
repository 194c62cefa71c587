"""Small helpers the sections share: a rounded share."""

from mvp.evaluation.numbers import rounded


def share(numerator, denominator):
    """numerator / denominator rounded as a share; None when there is no denominator."""
    if denominator in (None, 0):
        return None
    return rounded(numerator / denominator, "share")
