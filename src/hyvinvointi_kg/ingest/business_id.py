"""Finnish business IDs (Y-tunnus): the check digit and the written form ``1234567-8``."""

from __future__ import annotations

import re

from hyvinvointi_kg.errors import InputError

__all__ = ["business_id_check_digit", "is_valid_business_id", "normalise_business_id"]

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)
_FORM = re.compile(r"(\d{6,7})-(\d)")


def business_id_check_digit(digits: str) -> int | None:
    """The check digit of the seven *digits* of a business ID, or ``None`` if none can exist.

    Each digit is weighted 7, 9, 10, 5, 8, 4, 2 and the sum divided by 11: a remainder
    of 0 gives the check digit 0, a remainder of 1 no valid ID at all (such numbers
    are never given out), any other remainder *r* the digit 11 − *r*.

    Raises
    ------
    ValueError
        If *digits* is not exactly seven digits.

    Examples
    --------
    >>> business_id_check_digit("1762900"), business_id_check_digit("0000001")
    (8, 9)
    >>> business_id_check_digit("0000006") is None  # 6 × 2 = 12: remainder 1
    True
    """
    if not re.fullmatch(r"\d{7}", digits):
        raise ValueError(f"a business ID has seven digits before the check digit, not {digits!r}")
    remainder = sum(int(d) * w for d, w in zip(digits, _WEIGHTS, strict=True)) % 11
    if remainder == 0:
        return 0
    if remainder == 1:
        return None
    return 11 - remainder


def normalise_business_id(text: str) -> str:
    """The business ID *text* names, as ``1234567-8``, after checking its check digit.

    Spaces around it are ignored, and an old six-digit ID gets its leading zero
    (``123456-7`` is ``0123456-7``), as the Business Information System writes it.

    Raises
    ------
    InputError
        If *text* is not seven digits, a hyphen and a digit, or the check digit is wrong
        (the message says which digit was expected).

    Examples
    --------
    >>> normalise_business_id(" 1762900-8 "), normalise_business_id("762900-4")
    ('1762900-8', '0762900-4')
    >>> normalise_business_id("1762900-7")
    Traceback (most recent call last):
    ...
    hyvinvointi_kg.errors.InputError: malformed business ID '1762900-7': the check digit should be 8
    >>> normalise_business_id("17629008")
    Traceback (most recent call last):
    ...
    hyvinvointi_kg.errors.InputError: malformed business ID '17629008': write it as 1234567-8
    """
    match = _FORM.fullmatch(text.strip())
    if not match:
        raise InputError(f"malformed business ID {text!r}: write it as 1234567-8")
    digits, check = match.group(1).zfill(7), int(match.group(2))
    expected = business_id_check_digit(digits)
    if expected is None:
        raise InputError(f"malformed business ID {text!r}: no valid ID starts with {digits} "
                         "(its weighted sum leaves a remainder of 1)")
    if check != expected:
        raise InputError(f"malformed business ID {text!r}: the check digit should be {expected}")
    return f"{digits}-{check}"


def is_valid_business_id(text: str) -> bool:
    """Whether *text* is a business ID with the right check digit (see :func:`normalise_business_id`).

    Examples
    --------
    >>> is_valid_business_id("1044651-6"), is_valid_business_id("1044651-5"), is_valid_business_id("Y-1")
    (True, False, False)
    """
    try:
        normalise_business_id(text)
    except InputError:
        return False
    return True
