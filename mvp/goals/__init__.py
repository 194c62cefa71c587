"""Measurable equality goals: goals under the six national sub-goals, indicators for women and
men (Kolada key figures, the application's own figures, figures typed in), targets, the
follow-up with deviations and actions, and the yearly equality report (jämställdhetsbokslut).
"""
