"""The pure part of the demo: from a neighbourhood spec and a seed to rows, without a database.

Only `random.Random.random()` is used for chance: Python promises that one method gives the same
sequence for the same seed in every version, while `choice`, `randint` and `shuffle` may change.
"""

import random
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

from .names import DUTCH_COHORTS, DUTCH_SURNAMES, OTHER_ORIGINS, Origin, cohort_for
from .places import FLAT, ROW, SPLIT, SUFFIXES, AreaSpec, NeighbourhoodSpec, OrganisationSpec

T = TypeVar("T")

# Ages and dates are counted from a fixed day, so the demo is the same whenever it is built.
REFERENCE_DATE = date(2026, 1, 1)
WIJKBEDRIJF_FOUNDED = date(2022, 3, 1)

# Shares of household kinds, per mille, rounded from CBS StatLine (tables 71486ned "Huishoudens;
# samenstelling, grootte, regio, 1 januari" and 81275ned; the Netherlands in 2020: 38.2 % one
# person, 54.3 % couples, 6.8 % single parents, 0.7 % other multi-person households). Couples are
# split a little over half without and a little under half with children living at home.
COMPOSITION_PER_MILLE: tuple[tuple[str, int], ...] = (
    ("single", 380),
    ("couple", 285),
    ("family", 255),
    ("single_parent", 70),
    ("shared", 10),
)
# Number of children at home, per mille. Chosen so the average household has about 2.14 people,
# the Dutch figure (CBS StatLine 70072ned, 2020).
CHILDREN_IN_FAMILY = ((1, 380), (2, 440), (3, 140), (4, 40))
CHILDREN_WITH_SINGLE_PARENT = ((1, 580), (2, 320), (3, 100))
# About four in five single parents are mothers (CBS).
SINGLE_PARENT_MOTHER_PER_MILLE = 820
# Members of the wijkbedrijf among adult residents.
MEMBER_PER_MILLE = 200
# Households whose names come from one of the OTHER_ORIGINS.
OTHER_BACKGROUND_PER_MILLE = 150

# A household kind fits some homes better: families live mostly in row houses, people on their
# own more often in flats. The higher the number, the larger the home it tends to get.
_HOUSING_SPACE = {FLAT: 0.0, SPLIT: 1.0, ROW: 2.0}
_SPACE_NEEDED = {"single": 0.4, "couple": 1.4, "shared": 1.4, "single_parent": 2.2, "family": 3.0}
_SPACE_NOISE = 1.6

# Dutch postcode letters: F, I, O, Q, U and Y were left out of the original scheme (and are
# still rare) and the pairs SA, SD and SS are never used. A postcode covers one side of (part of)
# a street; the Dutch average is about eight addresses.
_POSTCODE_LETTERS = "ABCDEGHJKLMNPRSTVWXZ"
_POSTCODE_PAIRS_NOT_USED = {"SA", "SD", "SS"}
_POSTCODE_RE = re.compile(r"\b([1-9][0-9]{3}) ([A-Z]{2})\b")

# Demo phone numbers start with 06-0: Dutch mobile numbers are issued in the 06-1 to 06-5 and
# 06-8 ranges (ACM), so these reach nobody.
_PHONE_PREFIX = "06-0"
_EMAIL_DOMAINS = ("example.org", "example.com", "example.net")


class DemoRandom:
    """Chance for the demo, built on `random()` only (see the module docstring)."""

    def __init__(self, seed: str):
        self._random = random.Random(seed)

    def random(self) -> float:
        return self._random.random()

    def below(self, n: int) -> int:
        return min(int(self._random.random() * n), n - 1)

    def between(self, low: int, high: int) -> int:
        """A whole number from low to high, both included."""
        return low + self.below(high - low + 1)

    def chance(self, per_mille: int) -> bool:
        return self.below(1000) < per_mille

    def choice(self, items: Sequence[T]) -> T:
        return items[self.below(len(items))]

    def weighted(self, table: Sequence[tuple[T, int]]) -> T:
        pick = self.below(sum(weight for _, weight in table))
        for item, weight in table:
            if pick < weight:
                return item
            pick -= weight
        raise AssertionError("unreachable")

    def shuffle(self, items: list[T]) -> None:
        for i in range(len(items) - 1, 0, -1):
            j = self.below(i + 1)
            items[i], items[j] = items[j], items[i]

    def sample(self, items: Sequence[T], k: int) -> list[T]:
        pool = list(items)
        self.shuffle(pool)
        return pool[:k]


def apportion(total: int, weights: Sequence[int]) -> list[int]:
    """Split `total` in whole parts proportional to `weights` (largest remainder, ties: first)."""
    weight_sum = sum(weights)
    parts = [total * w // weight_sum for w in weights]
    remainders = [total * w % weight_sum for w in weights]
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


@dataclass(frozen=True)
class PersonPlan:
    first_name: str
    name_prefix: str
    last_name: str
    date_of_birth: date
    email: str
    phone: str
    contact_preference: str
    preferred_language: str
    member_since: date | None

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.name_prefix, self.last_name) if p)


@dataclass(frozen=True)
class HouseholdPlan:
    area: str
    street: str
    house_number: int
    house_number_suffix: str
    postcode: str
    city: str
    composition: str
    members: tuple[PersonPlan, ...]  # parents first, then children from old to young

    @property
    def size(self) -> int:
        return len(self.members)


@dataclass(frozen=True)
class NeighbourhoodPlan:
    spec: NeighbourhoodSpec
    households: tuple[HouseholdPlan, ...]

    @property
    def organisations(self) -> tuple[OrganisationSpec, ...]:
        return self.spec.organisations

    @property
    def people(self) -> int:
        return sum(h.size for h in self.households)


@dataclass(frozen=True)
class _Address:
    area: str
    street: str
    number: int
    suffix: str
    postcode: str
    housing: str


@dataclass
class _Draft:
    """A person before contact details: who they are, and how old on the reference date."""

    first_name: str
    name_prefix: str
    last_name: str
    age: int
    origin: Origin | None  # None: a Dutch name
    date_of_birth: date


def plan_neighbourhood(spec: NeighbourhoodSpec, *, households: int, seed: int) -> NeighbourhoodPlan:
    """Every household and resident of one demo neighbourhood; same input, same plan."""
    rng = DemoRandom(f"heelwijk-demo:{seed}:{spec.slug}")
    addresses = _addresses(spec, households, rng)
    compositions = _compositions(households, rng)
    matched = _match_homes(addresses, compositions, rng)
    emails: dict[str, int] = {}
    planned = []
    for address, composition in matched:
        drafts = _household_people(composition, rng)
        members = tuple(_with_contact(d, rng, emails) for d in drafts)
        planned.append(
            HouseholdPlan(
                area=address.area,
                street=address.street,
                house_number=address.number,
                house_number_suffix=address.suffix,
                postcode=address.postcode,
                city=spec.city,
                composition=composition,
                members=members,
            )
        )
    planned = _with_members(planned, rng)
    planned = _with_login_residents(spec, planned)
    return NeighbourhoodPlan(spec=spec, households=tuple(planned))


# --- addresses ---------------------------------------------------------------------------------


def _addresses(spec: NeighbourhoodSpec, households: int, rng: DemoRandom) -> list[_Address]:
    reserved = {
        f"{m.group(1)} {m.group(2)}"
        for org in spec.organisations
        for m in _POSTCODE_RE.finditer(org.address)
    }
    result: list[_Address] = []
    per_area = apportion(households, [area.weight for area in spec.areas])
    for area, count in zip(spec.areas, per_area, strict=True):
        result += _area_addresses(area, count, rng, reserved)
    return result


def _area_addresses(
    area: AreaSpec, count: int, rng: DemoRandom, reserved: set[str]
) -> list[_Address]:
    postcodes = _postcodes(area.postcode_digits, reserved)
    per_street = apportion(count, [600 + rng.below(800) for _ in area.streets])
    result = []
    for (street, housing), n in zip(area.streets, per_street, strict=True):
        # Odd numbers on one side, even on the other; each side gets its own postcodes.
        for first, side_count in ((1, (n + 1) // 2), (2, n // 2)):
            dwellings = _side(housing, first, side_count)
            cap, in_postcode, postcode, previous = 0, 0, "", None
            for number, suffix in dwellings:
                if not postcode or (in_postcode >= cap and number != previous):
                    postcode = _next_postcode(postcodes, area)
                    cap, in_postcode = rng.between(6, 16), 0
                result.append(_Address(area.name, street, number, suffix, postcode, housing))
                in_postcode += 1
                previous = number
    return result


def _side(housing: str, first: int, count: int) -> list[tuple[int, str]]:
    suffixes = SUFFIXES[housing]
    dwellings: list[tuple[int, str]] = []
    number = first
    while len(dwellings) < count:
        dwellings += [(number, s) for s in suffixes[: count - len(dwellings)]]
        number += 2
    return dwellings


def _postcodes(digits: int, reserved: set[str]) -> Iterator[str]:
    for first in _POSTCODE_LETTERS:
        for second in _POSTCODE_LETTERS:
            postcode = f"{digits} {first}{second}"
            if first + second not in _POSTCODE_PAIRS_NOT_USED and postcode not in reserved:
                yield postcode


def _next_postcode(postcodes: Iterator[str], area: AreaSpec) -> str:
    postcode = next(postcodes, None)
    if postcode is None:
        raise ValueError(f"{area.name} has run out of postcodes; ask for fewer households.")
    return postcode


# --- who lives where ---------------------------------------------------------------------------


def _compositions(households: int, rng: DemoRandom) -> list[str]:
    counts = apportion(households, [share for _, share in COMPOSITION_PER_MILLE])
    kinds = [
        kind for (kind, _), n in zip(COMPOSITION_PER_MILLE, counts, strict=True) for _ in range(n)
    ]
    rng.shuffle(kinds)
    return kinds


def _match_homes(
    addresses: list[_Address], compositions: list[str], rng: DemoRandom
) -> list[tuple[_Address, str]]:
    """Give larger households the larger homes, mostly: rank both with some noise and pair them."""
    home_rank = sorted(
        range(len(addresses)),
        key=lambda i: _HOUSING_SPACE[addresses[i].housing] + rng.random() * _SPACE_NOISE,
    )
    need_rank = sorted(
        range(len(compositions)),
        key=lambda i: _SPACE_NEEDED[compositions[i]] + rng.random() * _SPACE_NOISE,
    )
    kind_of_home = {
        home: compositions[need] for home, need in zip(home_rank, need_rank, strict=True)
    }
    return [(address, kind_of_home[i]) for i, address in enumerate(addresses)]


# --- people ------------------------------------------------------------------------------------


# Age ranges with weights (per cent). People on their own are often young or old; couples
# without children at home are mostly young, or older with children who have left.
_SINGLE_AGES = (((20, 29), 17), ((30, 44), 18), ((45, 64), 27), ((65, 79), 22), ((80, 96), 16))
_COUPLE_AGES = (((23, 39), 35), ((40, 59), 20), ((60, 88), 45))


def _household_people(composition: str, rng: DemoRandom) -> list[_Draft]:
    background = _origin(rng) if rng.chance(OTHER_BACKGROUND_PER_MILLE) else None
    if composition == "single":
        age = rng.between(*rng.weighted(_SINGLE_AGES))
        female = rng.chance(700 if age >= 80 else 500)
        return [_person(rng, background, female, age)]
    if composition == "couple":
        age = rng.between(*rng.weighted(_COUPLE_AGES))
        return _couple(rng, background, age)
    if composition == "shared":
        return [
            _person(
                rng, _background_of_partner(rng, background), rng.chance(500), rng.between(19, 31)
            )
            for _ in range(rng.weighted(((2, 50), (3, 35), (4, 15))))
        ]
    if composition == "family":
        children = rng.weighted(CHILDREN_IN_FAMILY)
        oldest = rng.between(children - 1, 21)
        parents = _couple(rng, background, oldest + rng.between(25, 38), oldest_child=oldest)
    else:  # single parent
        children = rng.weighted(CHILDREN_WITH_SINGLE_PARENT)
        oldest = rng.between(children - 1, 20)
        female = rng.chance(SINGLE_PARENT_MOTHER_PER_MILLE)
        parents = [_person(rng, background, female, oldest + rng.between(21, 40))]
    # Children carry the surname of the first parent and are born one to four years apart.
    first = parents[0]
    result = list(parents)
    age = oldest
    for _ in range(children):
        result.append(
            _person(rng, first.origin, rng.chance(490), age, (first.name_prefix, first.last_name))
        )
        age = max(0, age - rng.between(1, 4))
    return result


def _couple(
    rng: DemoRandom, background: Origin | None, age: int, oldest_child: int | None = None
) -> list[_Draft]:
    same_sex = rng.chance(30)
    first_female = same_sex and rng.chance(500)
    second_female = not same_sex or first_female
    partner_age = max(19, age - rng.between(-3, 7))
    if oldest_child is not None:
        # Both parents were adults when the oldest child was born.
        partner_age = max(partner_age, oldest_child + 20)
    partner = _background_of_partner(rng, background)
    pair = [
        _person(rng, background, first_female, age),
        _person(rng, partner, second_female, partner_age),
    ]
    # Most children in the Netherlands get the father's surname; then he is listed first.
    if not same_sex and oldest_child is not None and rng.chance(150):
        pair.reverse()
    return pair


def _origin(rng: DemoRandom) -> Origin:
    return rng.weighted([(origin, origin.weight) for origin in OTHER_ORIGINS])


def _background_of_partner(rng: DemoRandom, background: Origin | None) -> Origin | None:
    """Mostly the same background; about one in eight partners has the other kind of name."""
    if rng.chance(120):
        return _origin(rng) if background is None else None
    return background


def _person(
    rng: DemoRandom,
    background: Origin | None,
    female: bool,
    age: int,
    surname: tuple[str, str] | None = None,
) -> _Draft:
    # Born between 2 January and 31 December of the year that makes them `age` on the reference day.
    born = date(REFERENCE_DATE.year - 1 - age, 1, 2) + timedelta(days=rng.below(364))
    if background is None:
        cohort = cohort_for(DUTCH_COHORTS, born.year)
        first_name = rng.choice(cohort.female if female else cohort.male)
    else:
        first_name = rng.choice(background.female if female else background.male)
    if surname is None:
        surname = rng.choice(DUTCH_SURNAMES if background is None else background.surnames)
    return _Draft(first_name, surname[0], surname[1], age, background, born)


# --- contact and membership --------------------------------------------------------------------

# Preferred way of contact by age: (lowest age, ((preference, weight), ...)).
_CONTACT_BY_AGE = (
    (16, (("email", 70), ("phone", 20), ("in_person", 5), ("post", 5))),
    (30, (("email", 65), ("phone", 20), ("post", 10), ("in_person", 5))),
    (65, (("email", 35), ("phone", 30), ("post", 25), ("in_person", 10))),
    (80, (("email", 10), ("phone", 35), ("post", 35), ("in_person", 20))),
)


def _with_contact(draft: _Draft, rng: DemoRandom, emails: dict[str, int]) -> PersonPlan:
    if draft.age < 16:
        # Children are reached through the household's letterbox.
        preference, email, phone, language = "post", "", "", "nl"
    else:
        table = next(t for low, t in reversed(_CONTACT_BY_AGE) if draft.age >= low)
        preference = rng.weighted(table)
        email = _email(draft, rng, emails) if preference == "email" or rng.chance(500) else ""
        phone = _phone(rng) if preference == "phone" or rng.chance(400) else ""
        language = "en" if rng.chance(40) else "nl"
    return PersonPlan(
        first_name=draft.first_name,
        name_prefix=draft.name_prefix,
        last_name=draft.last_name,
        date_of_birth=draft.date_of_birth,
        email=email,
        phone=phone,
        contact_preference=preference,
        preferred_language=language,
        member_since=None,
    )


def _ascii(text: str) -> str:
    text = text.replace("\u0131", "i").replace("\u0142", "l")  # dotless i, l with stroke
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", plain.lower())


def _email(draft: _Draft, rng: DemoRandom, taken: dict[str, int]) -> str:
    """A unique address: the second Jan de Jong at a domain gets jan.dejong2@..., and so on."""
    local = f"{_ascii(draft.first_name)}.{_ascii(draft.name_prefix + draft.last_name)}"
    domain = rng.choice(_EMAIL_DOMAINS)
    key = f"{local}@{domain}"
    taken[key] = taken.get(key, 0) + 1
    return key if taken[key] == 1 else f"{local}{taken[key]}@{domain}"


def _phone(rng: DemoRandom) -> str:
    return f"{_PHONE_PREFIX}{rng.below(10_000_000):07d}"


def _adult(person: PersonPlan) -> bool:
    return _age_on_reference_day(person.date_of_birth) >= 18


def _age_on_reference_day(born: date) -> int:
    had_birthday = (REFERENCE_DATE.month, REFERENCE_DATE.day) >= (born.month, born.day)
    return REFERENCE_DATE.year - born.year - (0 if had_birthday else 1)


def _with_members(planned: list[HouseholdPlan], rng: DemoRandom) -> list[HouseholdPlan]:
    """Make about one in five adults a member of the wijkbedrijf, joined since it was founded."""
    adults = [(h, m) for h, hh in enumerate(planned) for m, p in enumerate(hh.members) if _adult(p)]
    count = (len(adults) * MEMBER_PER_MILLE + 500) // 1000
    days = (REFERENCE_DATE - WIJKBEDRIJF_FOUNDED).days
    joined = {
        pos: WIJKBEDRIJF_FOUNDED + timedelta(days=rng.below(days))
        for pos in rng.sample(adults, count)
    }
    return [
        _replace_members(
            hh,
            {
                m: _replace(p, member_since=joined[(h, m)])
                for m, p in enumerate(hh.members)
                if (h, m) in joined
            },
        )
        for h, hh in enumerate(planned)
    ]


def _with_login_residents(
    spec: NeighbourhoodSpec, planned: list[HouseholdPlan]
) -> list[HouseholdPlan]:
    """Reserve a parent of a family (or else the first adult) for each resident demo login."""
    logins = [login for login in spec.logins if login.role == "resident"]
    order = ("family", "couple", "single_parent", "single", "shared")
    candidates = sorted(range(len(planned)), key=lambda i: (order.index(planned[i].composition), i))
    for login, h in zip(logins, candidates, strict=False):
        hh = planned[h]
        first = hh.members[0]
        login_person = _replace(
            first,
            email=login.email,
            contact_preference="email",
            preferred_language="nl",
            member_since=first.member_since or WIJKBEDRIJF_FOUNDED,
        )
        planned[h] = _replace_members(hh, {0: login_person})
    return planned


def _replace(person: PersonPlan, **changes) -> PersonPlan:
    return PersonPlan(**{**person.__dict__, **changes})


def _replace_members(household: HouseholdPlan, changed: dict[int, PersonPlan]) -> HouseholdPlan:
    if not changed:
        return household
    members = tuple(changed.get(i, p) for i, p in enumerate(household.members))
    return HouseholdPlan(**{**household.__dict__, "members": members})
