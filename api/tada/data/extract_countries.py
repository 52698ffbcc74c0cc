"""Extract the `GET /api/v3/countries` sample of the tada seed into countries.json (run once, by hand).

    python accounts/data/extract_countries.py /path/to/003_00098fd54ab1934f.txt

The list is copied as the seed shows it: same order, same (Russian) names, `default` only on +7 Russia.
"""

import json
import sys
from pathlib import Path

HEADING = "GET /api/v3/countries"
EXPECTED_COUNT = 233


def extract(seed_text: str) -> list[dict]:
    start = seed_text.index(HEADING)
    body_start = seed_text.index("{", start)
    # The sample is the first complete JSON document after the heading.
    envelope, _ = json.JSONDecoder().raw_decode(seed_text[body_start:])
    return envelope["result"]


def main(seed_path: str) -> None:
    countries = extract(Path(seed_path).read_text(encoding="utf-8"))
    defaults = [c for c in countries if c.get("default")]
    assert len(countries) == EXPECTED_COUNT, len(countries)
    assert defaults == [{"code": "+7", "default": True, "name": "Россия"}], defaults
    out = Path(__file__).with_name("countries.json")
    out.write_text(json.dumps(countries, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(countries)} countries to {out}")


if __name__ == "__main__":
    main(sys.argv[1])
