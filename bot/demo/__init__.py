"""Demo data for console mode: personas, initiatives, events, facilitation and connections."""
