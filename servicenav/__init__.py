"""Servicenav: the system a Swedish municipality runs its service-quality work on."""
