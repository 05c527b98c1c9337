"""Countries by their ISO 3166-1 alpha-2 codes (CN, RU…), named in the reader's language
with django-countries' names and translations («Китай» / "China")."""

from django_countries import countries


def country_choices():
    """(code, name) pairs in the active language, in the order of their names; evaluated
    each time a form, a filter or a history is drawn, so the names follow the language."""
    return sorted(((country.code, country.name) for country in countries), key=lambda pair: _order(pair[1]))


def _order(name):
    return name.casefold().replace("ё", "е")


def country_name(code):
    """The name of `code` in the active language; the code itself when it names no country."""
    return (countries.name(code) or code) if code else ""


def used_country_choices(codes):
    """(code, name) pairs of the codes given (e.g. those the partners have), by name."""
    return sorted(((code, country_name(code)) for code in set(codes) if code), key=lambda pair: _order(pair[1]))
