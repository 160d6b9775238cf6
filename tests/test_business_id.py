"""Business IDs (Y-tunnus): the check digit, the written form, every way one can be malformed."""

from __future__ import annotations

import pytest

from hyvinvointi_kg.errors import InputError
from hyvinvointi_kg.ingest.business_id import business_id_check_digit, is_valid_business_id, normalise_business_id


@pytest.mark.parametrize(("digits", "check"), [("1762900", 8), ("1044651", 6), ("0000001", 9), ("1927481", 0)])
def test_business_id_check_digit_known_ids(digits: str, check: int) -> None:
    assert business_id_check_digit(digits) == check


def test_business_id_check_digit_remainder_one_has_none() -> None:
    assert business_id_check_digit("0000006") is None  # 6 × 2 = 12, remainder 1


def test_business_id_check_digit_refuses_other_lengths() -> None:
    with pytest.raises(ValueError, match="seven digits"):
        business_id_check_digit("123456")


def test_normalise_business_id_pads_six_digits() -> None:
    assert normalise_business_id("762900-4") == "0762900-4"


@pytest.mark.parametrize(("text", "reason"), [
    ("1762900-7", "the check digit should be 8"),
    ("17629008", "write it as 1234567-8"),
    ("1762900 8", "write it as 1234567-8"),
    ("0000006-0", "no valid ID starts with 0000006"),
    ("", "write it as 1234567-8"),
])
def test_normalise_business_id_malformed(text: str, reason: str) -> None:
    with pytest.raises(InputError, match=reason):
        normalise_business_id(text)


def test_is_valid_business_id_every_weight_matters() -> None:
    base = "1762900"
    for position in range(7):
        changed = base[:position] + str((int(base[position]) + 1) % 10) + base[position + 1:]
        assert not is_valid_business_id(f"{changed}-8") or business_id_check_digit(changed) == 8
    assert is_valid_business_id("1762900-8")
