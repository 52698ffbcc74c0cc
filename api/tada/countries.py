"""`GET /countries`: the tada document's dialing codes, served from data/countries.json (extracted from the seed)."""

import json
from functools import cache
from pathlib import Path

COUNTRIES_FILE = Path(__file__).resolve().parent / "data" / "countries.json"


@cache
def countries() -> tuple[dict, ...]:
    """The 233 dialing codes of the tada document, in its order, loaded once per process (static reference data)."""
    with COUNTRIES_FILE.open(encoding="utf-8") as handle:
        return tuple(json.load(handle))
