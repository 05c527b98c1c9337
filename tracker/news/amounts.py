"""Amounts a news item gives («2,5 млрд рублей», "$1.2 bn", «300 млн юаней»), read with
the spreadsheets' own reader (tracker/spreadsheets/amounts.py)."""

import re
from decimal import Decimal

from tracker.spreadsheets.amounts import currency_of, read_amount

_AMOUNT = re.compile(
    r"(?P<before>\$|€|¥)?\s?(?P<number>\d[\d\s\u00a0.,]*\d|\d)\s*"
    r"(?P<scale>трлн\.?|млрд\.?|млн\.?|тыс\.?|trillion|billion|million|thousand|bn|mn|m)?\s*"
    r"(?P<currency>руб\.?|рублей|рубля|долл\.?|долларов|юаней|юаня|евро|roubles|rubles|dollars|yuan|euros|rmb|usd|cny|rub|eur)?",
    re.IGNORECASE,
)


def find_amounts(text):
    """[(amount, currency code or "")] of the amounts with a scale or a currency."""
    found = []
    for match in _AMOUNT.finditer(text or ""):
        if not (match["scale"] or match["currency"] or match["before"]):
            continue
        number = match["number"] + (" " + match["scale"] if match["scale"] else "")
        try:
            amount = read_amount(number)
        except ValueError:
            continue
        if amount:
            found.append((amount, currency_of(match["before"] or match["currency"] or "") or ""))
    return found


def same_amount(found, amount, currency):
    """The item's amount is the project's: within 5 %, in the same currency when both say."""
    value, code = found
    if code and currency and code != currency:
        return False
    amount = Decimal(amount)
    return amount > 0 and abs(Decimal(value) - amount) <= amount * Decimal("0.05")
