"""Card expiry from the legal renewal ages (docs/domain.md §4), for BAC when only the QR is known.

Cards issued under the 2014 law renew at 25, 40 and 60; under the 2023 law (cards from 1/7/2024)
at 14, 25, 40 and 60. A card issued within two years before a renewal age is valid until the next
one; with no next age the card never expires (MRZ `991231`). Expiry is the birthday in the renewal
year. The rules are data (`RENEWAL_RULES`), not code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class RenewalRule:
    law: str
    issued_from: date  # the rule applies to cards issued on or after this day
    renewal_ages: tuple[int, ...]
    grace_years: int = 2


RENEWAL_RULES = (
    RenewalRule("Luật Căn cước công dân 2014", date(2016, 1, 1), (25, 40, 60)),
    RenewalRule("Luật Căn cước 2023", date(2024, 7, 1), (14, 25, 40, 60)),
)


def birthday_in(born: date, years: int) -> date:
    try:
        return born.replace(year=born.year + years)
    except ValueError:  # 29 February in a common year
        return date(born.year + years, 2, 28)


def rule_for(issued: date) -> RenewalRule:
    applicable = [r for r in RENEWAL_RULES if issued >= r.issued_from]
    return applicable[-1] if applicable else RENEWAL_RULES[0]


def card_expiry(date_of_birth: date, date_of_issue: date) -> date | None:
    """The expiry of a card issued on `date_of_issue`; None when valid for life."""
    rule = rule_for(date_of_issue)
    for age in rule.renewal_ages:
        if date_of_issue < birthday_in(date_of_birth, age - rule.grace_years):
            return birthday_in(date_of_birth, age)
    return None
