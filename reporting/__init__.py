"""Stats, CSV export and the admin dashboard."""
