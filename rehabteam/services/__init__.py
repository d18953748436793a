"""Use cases as plain functions with a keyword-only `session`. No Textual import here."""
