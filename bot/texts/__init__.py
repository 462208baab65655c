"""User-facing texts, one module per feature, each with ``RU`` and ``EN`` dicts of equal keys."""
