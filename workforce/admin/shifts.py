"""Admin pages for workforce shifts (see workforce/admin/__init__.py)."""
