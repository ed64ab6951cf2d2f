"""Check one cohort-file row: dates, phone (E.164), email, language, sex, birth year."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import phonenumbers

from bot.answers.currency import country_currency
from bot.i18n.languages import enabled_languages
from bot.outreach.clock import is_valid_zone

SEX_VALUES = {
    "female": "female", "f": "female", "woman": "female", "femme": "female", "mujer": "female",
    "male": "male", "m": "male", "man": "male", "homme": "male", "hombre": "male",
    "other": "other", "autre": "other", "otro": "other",
}  # fmt: skip
_EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[A-Za-z]{2,}$")
MIN_BIRTH_YEAR = 1920


@dataclass(frozen=True)
class CohortFields:
    """The cohort columns of one row."""

    code: str
    name: str
    start_date: date | None
    end_date: date | None
    region: str
    timezone: str
    country: str = ""


@dataclass(frozen=True)
class TraineeRow:
    """A valid trainee row, normalised (phone in E.164, email lower-case)."""

    line: int
    cohort: CohortFields
    ref: str
    name: str
    phone: str
    email: str
    sex: str | None
    birth_year: int | None
    language: str | None


def parse_date(text: str, column: str, errors: list[str]) -> date | None:
    """An ISO date (YYYY-MM-DD) or None when empty; a message in ``errors`` when malformed."""
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10] if len(text) > 10 and text[10] in " T" else text)
    except ValueError:
        errors.append(f"{column} '{text}' is not an ISO date (YYYY-MM-DD)")
        return None


def normalise_phone(text: str, region_code: str | None, errors: list[str]) -> str:
    """The phone number in E.164 ('' when empty); a message in ``errors`` when invalid."""
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text, (region_code or "").upper() or None)
    except phonenumbers.NumberParseException:
        errors.append("phone is not a phone number (use +<country code>… or --region-code)")
        return ""
    if not phonenumbers.is_valid_number(number):
        errors.append("phone is not a valid number for its country")
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_row(
    line: int, cells: dict[str, str], region_code: str | None, today: date
) -> tuple[TraineeRow | None, list[str]]:
    """The normalised row, or None and the reasons it is rejected (never the personal data)."""
    errors: list[str] = []
    get = cells.get
    code = (get("cohort_code") or "").strip()
    if not code:
        errors.append("cohort_code is empty")
    elif len(code) > 64:
        errors.append("cohort_code is longer than 64 characters")
    start = parse_date(get("start_date") or "", "start_date", errors)
    end = parse_date(get("end_date") or "", "end_date", errors)
    if start and end and end < start:
        errors.append("end_date is before start_date")
    tz = (get("timezone") or "").strip()
    if tz and not is_valid_zone(tz):
        errors.append(f"timezone '{tz}' is not an IANA time zone (e.g. Africa/Dakar)")
    country = (get("country") or "").strip().upper()
    if country and country_currency(country) is None:
        errors.append(f"country '{country}' is not an ISO 3166 country code (e.g. SN, KE, CO)")
    name = " ".join((get("name") or "").split())
    phone = normalise_phone((get("phone") or "").strip(), region_code, errors)
    email = (get("email") or "").strip().lower()
    if email and not _EMAIL.match(email):
        errors.append("email is not a valid address")
        email = ""
    if not (name or (get("phone") or "").strip() or (get("email") or "").strip()):
        errors.append("give at least a name, a phone or an email")
    language = (get("language") or "").strip().lower() or None
    if language and language not in enabled_languages():
        errors.append(f"language '{language}' must be one of {', '.join(enabled_languages())}")
    sex_text = (get("sex") or "").strip().lower()
    sex = SEX_VALUES.get(sex_text) if sex_text else None
    if sex_text and sex is None:
        errors.append("sex must be female, male or other")
    birth_year = None
    year_text = (get("birth_year") or "").strip()
    if year_text:
        if not year_text.isdigit() or not MIN_BIRTH_YEAR <= int(year_text) <= today.year:
            errors.append(f"birth_year must be a year between {MIN_BIRTH_YEAR} and {today.year}")
        else:
            birth_year = int(year_text)
    if errors:
        return None, errors
    cohort = CohortFields(
        code=code,
        name=(get("cohort_name") or "").strip() or code,
        start_date=start,
        end_date=end,
        region=(get("region") or "").strip(),
        timezone=tz,
        country=country,
    )
    ref = (get("trainee_ref") or "").strip()
    row = TraineeRow(line, cohort, ref, name, phone, email, sex, birth_year, language)
    return row, []
