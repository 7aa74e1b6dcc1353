"""Coordinators' work: broadcasts, figures, exports, roles, alerts, the audit log and opting out of
announcements.
"""
