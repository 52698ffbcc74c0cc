"""Phone normalisation to E.164 (core/phones.py)."""

import pytest

from core.exceptions import ValidationFailed
from core.phones import display_phone, normalize_phone


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("+7 (916) 6660002", None, "+79166660002"),
        ("8 916 666 00 02", "RU", "+79166660002"),
        ("79166660002", None, "+79166660002"),
        (" +79166660002 ", None, "+79166660002"),
        ("9166660002", "RU", "+79166660002"),
        ("+1 (202) 555-0143", None, "+12025550143"),
    ],
)
def test_normalize_phone_to_e164(raw, region, expected):
    assert normalize_phone(raw, region=region) == expected


def test_default_region_is_used_without_a_country_code(settings):
    settings.DEFAULT_PHONE_REGION = "RU"
    assert normalize_phone("8 916 666 00 02") == "+79166660002"


@pytest.mark.parametrize("raw", ["not a phone", "12", "+7 916", "++--"])
def test_unparseable_input_names_the_field(raw):
    with pytest.raises(ValidationFailed) as exc:
        normalize_phone(raw, field="mobile")
    assert list(exc.value.details) == ["mobile"]
    assert exc.value.details["mobile"][0]


@pytest.mark.parametrize("raw", ["", "   ", None])
def test_empty_input_is_required(raw):
    with pytest.raises(ValidationFailed, match="required") as exc:
        normalize_phone(raw)
    assert list(exc.value.details) == ["phone"]


def test_display_phone_uses_the_international_format():
    assert display_phone("+79166660002") == "+7 916 666-00-02"


def test_display_phone_leaves_garbage_alone():
    assert display_phone("garbage") == "garbage"
