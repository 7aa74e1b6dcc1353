"""Facilitation: the pool and its certificates, requests and their answers, open calls, escalation
and debriefs.
"""
