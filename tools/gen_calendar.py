#!/usr/bin/env python3
"""Rebuild data/calendar/kz-YYYY.toml from the `holidays` package (PyPI).

    python3 -m venv /tmp/hv && /tmp/hv/bin/pip install 'holidays>=0.101'
    /tmp/hv/bin/python tools/gen_calendar.py 2023 2028

Every name is read with its language pinned (`language=`): the English name
(en_US, which the rest of this script matches on) and the Kazakh one (kk) from
the package; the package has no Russian for Kazakhstan, so the Russian names
are this script's table of the Law's Russian wording, keyed on the English name.

Then review the diff (git diff data/calendar) against the year's decrees before
committing: the package is a secondary source; the legal acts named in each file
are the primary ones.  Versions of `holidays` older than 0.101 are wrong for
2026-2027 (Constitution Day, 30 August, was abolished by the 2026 constitution;
from 2027 Constitution Day is 15 March).

The package only estimates lunar dates (Kurban Ait): those are written
`provisional = true` with a source line saying so, until the date is announced.
An announced date goes into CONFIRMED below with the announcement, and loses
the mark.  Transfers of days off come from the package as the Government
decreed them; for a year whose decree is not published yet, TRANSFERS_PENDING
says so in the file.
"""
import datetime as dt
import os
import re
import sys

import holidays

MIN_VERSION = (0, 101)
RELIGIOUS = {"Orthodox Christmas", "Eid al-Adha"}
# English (package) name -> the Russian name of the Law "On holidays" (the
# package has no Russian translation for Kazakhstan).
RUSSIAN = {
    "New Year's Day": "Новый год",
    "Orthodox Christmas": "Православное Рождество",
    "International Women's Day": "Международный женский день",
    "Nowruz Holiday": "Наурыз мейрамы",
    "Kazakhstan's People Solidarity Holiday": "Праздник единства народа Казахстана",
    "Defender of the Fatherland Day": "День защитника Отечества",
    "Victory Day": "День Победы",
    "Eid al-Adha": "Курбан айт",
    "Capital Day": "День Столицы",
    "Constitution Day": "День Конституции",
    "Republic Day": "День Республики",
    "Independence Day": "День Независимости",
}
SUFFIX = re.compile(r"\s*\([^()]*\)$")
SOURCES = [
    "Labour Code of the Republic of Kazakhstan, art. 84 (five-day working week, Saturday and Sunday off)",
    "Law of the Republic of Kazakhstan 'On holidays in the Republic of Kazakhstan' of 13 December 2001 No. 267-II, art. 5 (public holidays; a holiday on a day off moves to the next working day, except religious holidays)",
]
SUBST = re.compile(r"Day off \(substituted from (\d\d)/(\d\d)/(\d{4})\)")
# Lunar dates the package estimates that have been announced: date -> the
# announcement (cited in the year's sources; the day is no longer provisional).
CONFIRMED = {
    dt.date(2026, 5, 27): (
        "Spiritual Administration of Muslims of Kazakhstan (ҚМДБ / ДУМК), calendar of religious dates "
        "for 2026 (muftyat.kz, published 6 November 2025, approved 8 January 2026): Kurban Ait 27-29 May 2026, "
        "its first day, Wednesday 2026-05-27, a day off, not moved (a religious holiday)"
    ),
}
# Years whose Government decree on the transfer of days off (Labour Code
# art. 85 p. 3) is not published yet: said in the file, none listed.
TRANSFERS_PENDING = {
    2028: (
        "Transfers of days off in 2028 (Government decree, Labour Code art. 85 p. 3): none published yet, "
        "none listed; a decree issued later goes in with `tizilim calendar amend` or here when the file is regenerated"
    ),
}


def main(first, last):
    version = tuple(int(p) for p in holidays.__version__.split(".")[:2])
    if version < MIN_VERSION:
        sys.exit(f"holidays {holidays.__version__} is too old: need >= 0.101")
    out_dir = os.path.join(os.path.dirname(__file__), "..", "data", "calendar")
    for year in range(first, last + 1):
        days = []
        transfers = []
        english = holidays.country_holidays("KZ", years=year, language="en_US")
        kazakh = holidays.country_holidays("KZ", years=year, language="kk")
        notes = []
        for date, name in sorted(english.items()):
            provisional = "(estimated)" in name and date not in CONFIRMED
            base = name.replace(" (estimated)", "").replace(" (observed)", "")
            m = SUBST.fullmatch(name)
            if m:
                worked = dt.date(int(m[3]), int(m[1]), int(m[2]))  # the package writes MM/DD/YYYY
                transfers.append((worked, date))
                days.append((worked, "transfer_working", f"Working day (day off moved to {date.isoformat()})", provisional, False,
                             f"Жұмыс күні (демалыс {date.strftime('%d.%m.%Y')} күніне ауыстырылды)",
                             f"Рабочий день (выходной перенесён на {date.strftime('%d.%m.%Y')})"))
                days.append((date, "transfer_day_off", f"Day off (transferred from {worked.isoformat()})", provisional, False,
                             f"Демалыс күні ({worked.strftime('%d.%m.%Y')} күнінен ауыстырылды)",
                             f"Выходной день (перенесён с {worked.strftime('%d.%m.%Y')})"))
                continue
            kind = "holiday_moved" if "(observed)" in name else "holiday"
            if date.weekday() >= 5 and kind == "holiday":
                # a holiday on a weekend is still listed: it names the day
                pass
            kk = SUFFIX.sub("", kazakh.get(date, "")) or None
            days.append((date, kind, base, provisional, base in RELIGIOUS, kk, RUSSIAN.get(base)))
            if date in CONFIRMED:
                notes.append(CONFIRMED[date])
            elif provisional:
                notes.append(
                    f"{base} ({RUSSIAN.get(base, base)}) {date.isoformat()}: the holidays package's astronomical estimate, "
                    "marked provisional until the Spiritual Administration of Muslims of Kazakhstan (ҚМДБ / ДУМК) announces "
                    "the date (a lunar date: it may fall a day either side)"
                )
        acts = list(SOURCES)
        for worked, off in transfers:
            acts.append(
                f"Decree of the Government of the Republic of Kazakhstan on the transfer of days off in {year}: "
                f"{worked.strftime('%A')} {worked.isoformat()} is a working day, {off.strftime('%A')} {off.isoformat()} a day off"
            )
        if year in TRANSFERS_PENDING and not transfers:
            acts.append(TRANSFERS_PENDING[year])
        acts.extend(notes)
        path = os.path.join(out_dir, f"kz-{year}.toml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(f"# Kazakhstan's non-working days and transferred working days, {year}.\n")
            f.write("# Generated by tools/gen_calendar.py; reviewed against the acts below.\n")
            f.write("# Saturdays and Sundays are days off unless a `transfer_working` day says otherwise.\n")
            f.write(f"year = {year}\n")
            f.write(f'generator = "tools/gen_calendar.py with holidays {holidays.__version__} (PyPI), language=en_US and kk pinned"\n')
            f.write("sources = [\n")
            for a in acts:
                f.write(f'  "{a}",\n')
            f.write("]\n")
            for date, kind, name, provisional, religious, kk, ru in sorted(days):
                f.write("\n[[day]]\n")
                f.write(f"date = {date.isoformat()}\n")
                f.write(f'kind = "{kind}"\n')
                f.write(f'name = "{name}"\n')
                if kk:
                    f.write(f'name_kk = "{kk}"\n')
                if ru:
                    f.write(f'name_ru = "{ru}"\n')
                if religious:
                    f.write("religious = true\n")
                if provisional:
                    f.write("provisional = true\n")
        print(path)


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]] or [2023, 2028]
    main(args[0], args[-1])
