"""Composition root and Telegram plumbing of dealbot."""
