"""Month names and dates as releases write them ("15 June 2022", "June 15, 2022", "2022")."""

from __future__ import annotations

import calendar
import re

# Every way a month is named ("june", "jun", "sept") and its number.
MONTHS: dict[str, int] = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
MONTHS["sept"] = 9
WEEKDAYS = frozenset(day.lower() for day in calendar.day_name)
MONTH_NAMES = "|".join(calendar.month_name[n] for n in range(1, 13))
# A date mentioned in a sentence: a day and month (maybe a year), or a year alone.
DATES = re.compile(
    rf"\b\d{{1,2}}(?:-\d{{1,2}})?\s+(?:{MONTH_NAMES})(?:\s+\d{{4}})?\b"
    rf"|\b(?:{MONTH_NAMES})\s+\d{{1,2}},?\s+\d{{4}}\b|\b(?:19|20)\d{{2}}\b"
)
YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
