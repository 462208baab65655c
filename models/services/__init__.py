"""Domain services: the CRM's operations. They flush but never commit: the caller owns the
transaction (one per update)."""
