"""Admin pages for workforce notices (see workforce/admin/__init__.py)."""
