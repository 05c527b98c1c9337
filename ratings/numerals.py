"""Roman numerals for cycle numbers: the rating names its editions I, II, III…"""

_VALUES = [
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
    (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
]


def to_roman(number):
    if number < 1:
        raise ValueError(f"no Roman numeral for {number}")
    parts = []
    for value, letters in _VALUES:
        count, number = divmod(number, value)
        parts.append(letters * count)
    return "".join(parts)


def from_roman(text):
    """Parse "III", "iii" or "3"; raise ValueError for anything else."""
    cleaned = str(text).strip().upper()
    if cleaned.isdigit() and int(cleaned) > 0:
        return int(cleaned)
    total, index = 0, 0
    for value, letters in _VALUES:
        while cleaned.startswith(letters, index):
            total += value
            index += len(letters)
    if not cleaned or index != len(cleaned) or to_roman(total) != cleaned:
        raise ValueError(f"{text!r} is not a cycle number (expected a Roman numeral such as III)")
    return total
