"""The municipality's organisation outside the schools: its administrations (förvaltningar).

Shared by the gender-mainstreaming training (units, managers and staff by sex) and the
equality goals (the administration that owns a goal).
"""
