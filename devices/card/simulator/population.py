"""Simulated citizens for `kiosk simulate`: different people, each with a real simulated chip.

`simulated_citizens(count, seed, today)` gives `count` citizens, the same for the same seed and
day. Within every ten of them (docs/architecture.md §6):
- the names together carry every Vietnamese diacritic: the six tones (none, grave, acute, hook,
  tilde, dot below) and ă â ê ô ơ ư đ as capitals (syllable initials: Ăng, Ân, Êm, Ôn, Ơn, Ưng,
  Đặng) and, but for đ, in lower case (a name's syllables are all capitalised and đ only begins a
  syllable, so a lower-case đ shows in the addresses: "đường");
- five men and five women, aged 18 to 95 (both ends included), from several provinces, their ID
  numbers following the province / sex-and-century / year layout (docs/domain.md §4);
- cards issued 2016–2025, some with parents and a spouse in DG13, some with parents only, some
  with neither;
- exactly one card that expired before `today`.
Every card's DG2 photo is the sample face the demo camera films (`SAMPLE_FACE`), so the face check
compares the footage with a photo of the same person, as at a real kiosk.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from devices.card.expiry import birthday_in, card_expiry
from devices.card.simulator.citizen import Citizen

SAMPLE_FACE = "obama.jpg"  # the demo camera's person (devices/camera/sample_scenes.py DEMO_FACE)
GROUP = 10  # every group of this many citizens covers every diacritic, both sexes, both age ends
FIRST_ISSUE_YEAR, LAST_ISSUE_YEAR = 2016, 2025
YOUNGEST, OLDEST = 18, 95


@dataclass(frozen=True)
class Person:
    """A name (with the letters it is there to show) and a sex."""

    name: str
    sex: str


# Together: all six tones and ă â ê ô ơ ư đ (capitals and lower case, see the module doc).
PEOPLE = (
    Person("Đặng Văn Ân", "Nam"),
    Person("Ưng Quốc Tuấn", "Nam"),
    Person("Ôn Đức Thịnh", "Nam"),
    Person("Nguyễn Hữu Phước", "Nam"),
    Person("Lê Hoàng Ăng", "Nam"),
    Person("Trần Thị Êm", "Nữ"),
    Person("Phạm Thị Ơn", "Nữ"),
    Person("Hồ Ngọc Ánh", "Nữ"),
    Person("Võ Thị Thảo", "Nữ"),
    Person("Bùi Thị Mỹ Duyên", "Nữ"),
)
PARENT_NAMES = (
    ("Đặng Văn Bảo", "Lê Thị Hằng"),
    ("Nguyễn Văn Khải", "Trương Thị Nguyệt"),
    ("Trịnh Minh Đạo", "Hoàng Thị Lụa"),
    ("Phan Văn Tưởng", "Đinh Thị Ngà"),
)
SPOUSE_NAMES = {"Nam": "Lương Thị Hiền", "Nữ": "Vũ Đình Khiêm"}

# (province code of the ID number, commune, province): several provinces, north to south.
PLACES = (
    ("001", "Xã Đông Hội, Huyện Đông Anh", "Hà Nội"),
    ("031", "Phường Lạch Tray, Quận Ngô Quyền", "Hải Phòng"),
    ("038", "Xã Quảng Phú, Huyện Quảng Xương", "Thanh Hoá"),
    ("046", "Phường Phú Hội, Thành phố Huế", "Thừa Thiên Huế"),
    ("066", "Xã Ea Tu, Thành phố Buôn Ma Thuột", "Đắk Lắk"),
    ("079", "Phường Bến Nghé, Quận 1", "Thành phố Hồ Chí Minh"),
    ("092", "Phường An Hoà, Quận Ninh Kiều", "Cần Thơ"),
)
AGES = (YOUNGEST, OLDEST, 26, 34, 41, 47, 55, 62, 73, 84)  # one group's ages
FAMILY = ("both", "parents", "none")  # what DG13 says of parents and spouse


def simulated_citizens(count: int, seed: int, today: date) -> list[Citizen]:
    """`count` citizens (see the module doc); the same for the same `seed` and `today`."""
    rng = random.Random(seed)
    citizens: list[Citizen] = []
    while len(citizens) < count:
        citizens += _group(rng, today, len(citizens))
    return citizens[:count]


def _group(rng: random.Random, today: date, first: int) -> list[Citizen]:
    people, ages = list(PEOPLE), list(AGES)
    rng.shuffle(people)
    rng.shuffle(ages)
    # the expired card's owner is made young enough to have passed a renewal age: not an end age
    expired_at = rng.choice([i for i, age in enumerate(ages) if age not in (YOUNGEST, OLDEST)])
    return [
        _citizen(rng, today, person, age, expired=index == expired_at, number=first + index)
        for index, (person, age) in enumerate(zip(people, ages, strict=True))
    ]


def _citizen(
    rng: random.Random, today: date, person: Person, age: int, *, expired: bool, number: int
) -> Citizen:
    code, commune, province = PLACES[rng.randrange(len(PLACES))]
    born = birthday_in(today, -age) - timedelta(days=rng.randrange(1, 365))
    issued = _issue_date(rng, born, today, expired)
    if expired:  # an expired card needs a renewal age already passed: make the owner young enough
        born, issued = _expired_card(rng, today)
    female = person.sex == "Nữ"
    century = (born.year - 1900) // 100
    id_number = f"{code}{2 * century + female}{born.year % 100:02d}{rng.randrange(10**6):06d}"
    family = FAMILY[number % len(FAMILY)]
    father, mother = PARENT_NAMES[rng.randrange(len(PARENT_NAMES))]
    return Citizen(
        id_number=id_number,
        full_name=person.name,
        date_of_birth=born,
        sex=person.sex,
        place_of_origin=f"{commune}, {province}",
        place_of_residence=f"Số {rng.randint(1, 199)} đường Trần Phú, {commune}, {province}",
        date_of_issue=issued,
        photo=SAMPLE_FACE,
        old_id_number=f"{rng.randrange(10**9):09d}" if born.year < 2000 else "",
        father_name=father if family != "none" else "",
        mother_name=mother if family != "none" else "",
        spouse_name=SPOUSE_NAMES[person.sex] if family == "both" and age >= 20 else "",
    )


def _issue_date(rng: random.Random, born: date, today: date, expired: bool) -> date:
    """A day in 2016–2025, from age 14 on, on which a card still valid today was issued."""
    first = max(date(FIRST_ISSUE_YEAR, 1, 1), birthday_in(born, 14))
    last = min(date(LAST_ISSUE_YEAR, 12, 31), today - timedelta(days=1))
    span = max(0, (last - first).days)
    for _ in range(200):
        issued = first + timedelta(days=rng.randint(0, span))
        expiry = card_expiry(born, issued)
        if expiry is None or expiry > today:
            return issued
    return last  # the newest possible card is valid


def _expired_card(rng: random.Random, today: date) -> tuple[date, date]:
    """(born, issued): a card issued in 2016–2019 at 16–21 that expired at 25, before `today`."""
    issued = date(rng.randint(FIRST_ISSUE_YEAR, 2019), rng.randint(1, 12), rng.randint(1, 28))
    born = birthday_in(issued, -rng.randint(16, 21))
    while (card_expiry(born, issued) or today) >= today:
        born = birthday_in(born, -1)  # older by a year: the renewal age came sooner
    return born, issued
