"""Events: browsing, signing up and the waitlist, the agenda, the weekly digest and what
coordinators do with an event.
"""
