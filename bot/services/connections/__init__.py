"""Connecting people: introductions, questions to initiatives, help offers, the knowledge base and
themed meetups.
"""
