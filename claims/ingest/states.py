"""Countries as actors: their names, other spellings, capitals and demonyms (pure, cached).

The names come from the `countryinfo` package (its data ships inside it; nothing is fetched):
"Russia" and "Russian Federation" name the state, "Moscow" stands for its government the way
news uses a capital ("Washington warned…"), and "Russian government" is the state acting.
ISO codes are left out ("IN", "IT", "CAN", "MP" are words or abbreviations in news), but for
the few short forms papers actually print for a state.
"""

from dataclasses import dataclass
from functools import cache

from countryinfo import all_countries

from claims.text import normalize_alias

# Short forms news prints that the data does not list as a spelling of the state.
_SHORT_FORMS = {
    "US": "United States",
    "U.S.": "United States",
    "USA": "United States",
    "America": "United States",
    "Britain": "United Kingdom",
    "UK": "United Kingdom",
    "U.K.": "United Kingdom",
}
# Words after a demonym that make the pair the state acting ("the Chinese government").
GOVERNMENT_WORDS = ("government", "authorities", "administration", "regime")
_CAPITAL_SUFFIXES = (" D.C.", " DC")


@dataclass(frozen=True)
class State:
    name: str
    spellings: tuple  # other names of the state itself
    capital: str
    demonym: str


@cache
def states():
    """Every state in the data, by its common name (first one wins for duplicates)."""
    found = {}
    for country in all_countries():
        info = country.info()
        name = info.get("name")
        if not name or "," in name or name in found:  # "Palestine, State of": a duplicate
            continue
        iso = info.get("ISO") or {}
        codes = {iso.get("alpha2"), iso.get("alpha3")}
        spellings = tuple(
            s
            for s in info.get("altSpellings") or ()
            if s not in codes and "," not in s and s.isascii() and len(s) > 2
        )
        capital = info.get("capital") or ""
        if isinstance(capital, list):  # a few states list several capitals: the first
            capital = capital[0] if capital else ""
        for suffix in _CAPITAL_SUFFIXES:
            capital = capital.removesuffix(suffix)
        found[name] = State(name, spellings, capital, info.get("demonym") or "")
    return found


@cache
def state_names():
    """normalized name → (state name, how it names it: "name", "capital" or "demonym")."""
    table = {}

    def put(form, state, how):
        key = normalize_alias(form)
        if key:
            table.setdefault(key, (state, how))

    every = states()
    for state in every.values():
        put(state.name, state.name, "name")
        for spelling in state.spellings:
            put(spelling, state.name, "name")
    for form, name in _SHORT_FORMS.items():
        put(form, name, "name")
    for state in every.values():
        if state.capital:
            put(state.capital, state.name, "capital")
        if state.demonym:
            for word in GOVERNMENT_WORDS:
                put(f"{state.demonym} {word}", state.name, "demonym")
    return table


@cache
def demonyms():
    """normalized demonym → state name ("british" → "United Kingdom")."""
    table = {}
    for state in states().values():
        if state.demonym:
            table.setdefault(normalize_alias(state.demonym), state.name)
    return table


_MINOR = frozenset({"of", "the", "and", "for"})


@cache
def state_acronyms():
    """Initials of the states' longer names → state name ("DPRK" → "North Korea")."""
    table = {}
    for state in states().values():
        for spelling in (state.name, *state.spellings):
            words = [w for w in spelling.replace("-", " ").split() if w.lower() not in _MINOR]
            if len(words) >= 3 and all(w[0].isupper() for w in words):
                table.setdefault("".join(w[0] for w in words), state.name)
    return table
