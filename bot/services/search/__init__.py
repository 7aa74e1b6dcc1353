"""Search as the bot runs it: the in-memory index kept in step with the database, discovery and
missed words.
"""
