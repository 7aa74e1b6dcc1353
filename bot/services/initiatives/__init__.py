"""Initiative profiles: registering, editing, members and invites, freshness and the import."""
