"""Renderings of an Evaluation: the report for SKR (PDF), the Excel appendix, the answer file."""
