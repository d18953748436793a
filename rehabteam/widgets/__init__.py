"""Reusable widgets. No database access here."""
