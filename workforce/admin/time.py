"""Admin pages for workforce time (see workforce/admin/__init__.py)."""
