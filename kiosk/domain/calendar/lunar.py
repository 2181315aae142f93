"""The Vietnamese lunisolar calendar (âm lịch), computed astronomically at UTC+7.

A lunar month starts on the local day of a new moon; month 11 is the month that contains the
winter solstice; a year with 13 months between two months 11 repeats (as a leap month) the first
month that contains no major solar term (the sun entering a 30° sector of longitude).
The Vietnamese calendar does all of this in Vietnam's time zone (UTC+7), which is why its Tết
differs from the Chinese New Year (computed at UTC+8) in some years: 1985, 2007, 2030.

Astronomy: the mean new moon with the main periodic terms and a ΔT correction, and the sun's
apparent longitude from the low-precision solar theory (J. Meeus, Astronomical Algorithms, ch. 25;
Astronomical Formulae for Calculators, new moons). Good to well under an hour for 1800–2200,
which is what placing a new moon on the right civil day needs.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from functools import lru_cache

from kiosk.domain.calendar.vietnam_time import UTC_OFFSET

VIETNAM_UTC_OFFSET_H = UTC_OFFSET / timedelta(hours=1)

_RAD = math.pi / 180.0
_SYNODIC_MONTH = 29.530588853
_NEW_MOON_EPOCH_JD = 2415021.076998695  # the new moon of 1900-01-01 (lunation k = 0)
_JDN_MINUS_ORDINAL = 1721425  # Julian Day Number of a date minus its proleptic Gregorian ordinal


class LunarDateError(ValueError):
    """The lunar date does not exist (day out of range, or no such leap month that year)."""


def julian_day_number(day: date) -> int:
    return day.toordinal() + _JDN_MINUS_ORDINAL


def from_julian_day_number(jdn: int) -> date:
    return date.fromordinal(jdn - _JDN_MINUS_ORDINAL)


def new_moon_jd(k: int) -> float:
    """Julian day (UT) of new moon number `k` counted from the new moon of 1900-01-01."""
    t = k / 1236.85  # Julian centuries from 1900
    t2, t3 = t * t, t * t * t
    mean = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3
    mean += 0.00033 * math.sin((166.56 + 132.87 * t - 0.009173 * t2) * _RAD)
    sun_anomaly = (359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3) * _RAD
    moon_anomaly = (306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3) * _RAD
    latitude = (21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3) * _RAD
    correction = (
        (0.1734 - 0.000393 * t) * math.sin(sun_anomaly)
        + 0.0021 * math.sin(2 * sun_anomaly)
        - 0.4068 * math.sin(moon_anomaly)
        + 0.0161 * math.sin(2 * moon_anomaly)
        - 0.0004 * math.sin(3 * moon_anomaly)
        + 0.0104 * math.sin(2 * latitude)
        - 0.0051 * math.sin(sun_anomaly + moon_anomaly)
        - 0.0074 * math.sin(sun_anomaly - moon_anomaly)
        + 0.0004 * math.sin(2 * latitude + sun_anomaly)
        - 0.0004 * math.sin(2 * latitude - sun_anomaly)
        - 0.0006 * math.sin(2 * latitude + moon_anomaly)
        + 0.0010 * math.sin(2 * latitude - moon_anomaly)
        + 0.0005 * math.sin(sun_anomaly + 2 * moon_anomaly)
    )
    if t < -11:  # ΔT (terrestrial minus universal time), in days
        delta_t = 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
    else:
        delta_t = -0.000278 + 0.000265 * t + 0.000262 * t2
    return mean + correction - delta_t


def sun_longitude(jd: float) -> float:
    """The sun's apparent longitude in degrees (0 ≤ λ < 360) at Julian day `jd` (UT)."""
    t = (jd - 2451545.0) / 36525.0  # Julian centuries from J2000.0
    t2 = t * t
    anomaly = (357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2) * _RAD
    mean_longitude = 280.46645 + 36000.76983 * t + 0.0003032 * t2
    centre = (
        (1.914600 - 0.004817 * t - 0.000014 * t2) * math.sin(anomaly)
        + (0.019993 - 0.000101 * t) * math.sin(2 * anomaly)
        + 0.000290 * math.sin(3 * anomaly)
    )
    omega = (125.04 - 1934.136 * t) * _RAD  # nutation and aberration, as in Meeus 25.8
    apparent = mean_longitude + centre - 0.00569 - 0.00478 * math.sin(omega)
    return apparent % 360.0


@lru_cache(maxsize=4096)
def new_moon_day(k: int) -> int:
    """Julian Day Number of the Vietnamese civil day on which new moon `k` falls."""
    return math.floor(new_moon_jd(k) + 0.5 + VIETNAM_UTC_OFFSET_H / 24.0)


def _solar_sector(jdn: int) -> int:
    """Which 30° sector (0–11) the sun is in at local midnight at the start of day `jdn`."""
    return int(sun_longitude(jdn - 0.5 - VIETNAM_UTC_OFFSET_H / 24.0) / 30.0)


@lru_cache(maxsize=512)
def _month11_lunation(year: int) -> int:
    """The lunation `k` that starts lunar month 11 of `year` (the month of the winter solstice)."""
    k = int((julian_day_number(date(year, 12, 31)) - _NEW_MOON_EPOCH_JD) / _SYNODIC_MONTH)
    if _solar_sector(new_moon_day(k)) >= 9:  # the solstice (270°) came before this month began
        k -= 1
    return k


@lru_cache(maxsize=512)
def _leap_offset(month11_k: int) -> int:
    """In a 13-month span from month 11 at `month11_k`, the offset of the leap month (1..12)."""
    for offset in range(1, 14):
        if _solar_sector(new_moon_day(month11_k + offset)) == _solar_sector(
            new_moon_day(month11_k + offset + 1)
        ):
            return offset
    raise AssertionError("a 13-month lunar year without a month lacking a major term")


def leap_month(lunar_year: int) -> int | None:
    """The month number repeated as a leap month in lunar year `lunar_year`, if any.

    Counts the span from month 11 of the previous year, so a leap 11 or 12 that belongs to the
    previous year's end is reported for the year it precedes (as the traditional tables do for
    the months before Tết).
    """
    start, end = _month11_lunation(lunar_year - 1), _month11_lunation(lunar_year)
    if end - start != 13:
        return None
    offset = _leap_offset(start)
    return (offset + 9) % 12 + 1


def lunar_to_solar(day: int, month: int, lunar_year: int, leap: bool = False) -> date:
    """The Gregorian date of lunar day/month of `lunar_year` (the year whose month 1 starts it)."""
    if not 1 <= month <= 12 or not 1 <= day <= 30:
        raise LunarDateError(f"no lunar date {day}/{month}")
    if month >= 11:  # months 11 and 12 end the lunar year: count from this year's month 11
        start, end = _month11_lunation(lunar_year), _month11_lunation(lunar_year + 1)
    else:
        start, end = _month11_lunation(lunar_year - 1), _month11_lunation(lunar_year)
    offset = (month - 11) % 12
    if end - start == 13:
        leap_offset = _leap_offset(start)
        leap_number = (leap_offset + 9) % 12 + 1
        if leap and month != leap_number:
            raise LunarDateError(f"lunar year {lunar_year} has no leap month {month}")
        if leap or offset >= leap_offset:
            offset += 1
    elif leap:
        raise LunarDateError(f"lunar year {lunar_year} has no leap month")
    first = new_moon_day(start + offset)
    length = new_moon_day(start + offset + 1) - first
    if day > length:
        raise LunarDateError(f"lunar month {month}/{lunar_year} has only {length} days")
    return from_julian_day_number(first + day - 1)


def tet(year: int) -> date:
    """Tết Nguyên đán: the first day of the lunar year that starts in Gregorian `year`."""
    return lunar_to_solar(1, 1, year)
