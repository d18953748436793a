"""Screens: controllers that call services in workers and set attributes on widgets."""
