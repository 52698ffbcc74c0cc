"""Admin pages for workforce people (see workforce/admin/__init__.py)."""
