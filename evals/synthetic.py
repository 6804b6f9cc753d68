"""A deterministic archive of made-up press releases, for benchmarks and crash tests.

Each release looks like the real thing to the readers: a "PRESS RELEASE" label, a
headline, a dateline, a lead, quotes, background paragraphs with figures, a contact block
and an end marker, as text (most), Markdown or HTML. Dates span 2015-2025, with places,
bodies, people and figures drawn per release. About one release in five belongs to a
recurring series (a quarterly index, a monthly bulletin): near-duplicate statements
that repeat the same sentences and differ only in dates and numbers, the hard case of a
real archive (the FOMC statements in ../shared are like that). The same ``seed`` and
``count`` give the same bytes, and no two releases share a body.
"""

from __future__ import annotations

import datetime as dt
import html
import random
from pathlib import Path

CITIES = (
    "Riga Tallinn Vilnius Helsinki Warsaw Gdańsk Kaunas Tartu Turku Klaipėda Szczecin "
    "Rostock Kiel Malmö Stockholm Copenhagen Oslo Bergen Uppsala Lübeck"
).split()
BODIES = (
    "Commission",
    "Secretariat",
    "Council of Ministers",
    "Scientific Advisory Panel",
    "Board of Governors",
    "Steering Committee",
)
SUBJECTS = (
    ("a programme for cleaner rivers", "river quality", "monitoring stations"),
    ("a fund for cross-border rail links", "rail freight", "rail corridors"),
    ("new rules on fishing quotas", "fish stocks", "fishing fleets"),
    ("a plan to protect coastal wetlands", "wetland habitats", "restoration sites"),
    ("a grant scheme for small ports", "port traffic", "harbour upgrades"),
    ("a drought early-warning service", "water scarcity", "gauging stations"),
    ("an agreement on shared flood maps", "flood risk", "flood defences"),
    ("a study of microplastics in sediments", "plastic pollution", "sampling sites"),
    ("a call for projects on green shipping", "ship emissions", "shore power points"),
    ("a network of nature reserves", "biodiversity", "protected areas"),
)
# (headline verb, body verb): headlines are in the present tense.
ACTIONS = (
    ("launches", "launched"),
    ("approves", "approved"),
    ("adopts", "adopted"),
    ("presents", "presented"),
    ("announces", "announced"),
    ("signs", "signed"),
    ("endorses", "endorsed"),
)
ROLES = ("Secretary General", "Chair", "Director", "Head of Programmes", "Vice-Chair")
FIRST = "Anna Jonas Maria Peter Eva Tomas Laura Marek Ingrid Juris Liis Olav Sofia Erik".split()
LAST = "Berzina Kask Nowak Virtanen Jansen Petrauskas Lind Ozols Tamm Holm Kowalski Berg".split()
REASONS = (
    "will make the region's {topic} data comparable for the first time",
    "responds to the concerns raised by member states about {topic}",
    "builds on three years of work by national experts on {topic}",
    "was prepared together with local authorities and research institutes",
    "follows the recommendations of last year's assessment of {topic}",
)
DETAILS = (
    "The first results are expected by {month} {year}, when a progress report will be published.",
    "Applications can be submitted until {day} {month} {year} through the national contact points.",
    "The work will be carried out in {n} stages, each reviewed by an independent panel.",
    "A budget of EUR {m} million has been set aside, of which {p} per cent comes from "
    "national contributions.",
    "Around {n} {things} in {k} countries will take part in the first phase.",
    "Data from the {things} will be published every quarter in an open database.",
    "The decision was taken unanimously after a debate of more than {h} hours.",
    "Observers from {k} neighbouring countries attended the meeting for the first time.",
    "Experts estimate that the measures will cut costs by about {p} per cent over {n} years.",
)
QUOTES = (
    "This is a milestone for {topic} in our region",
    "We have listened to the people who live with the consequences every day",
    "Today's decision shows what countries can achieve when they share their data",
    "Our task now is to turn this plan into visible results by {year}",
    "The evidence is clear, and we are acting on it",
    "No country can solve problems of {topic} on its own",
)
CLOSINGS = (
    "The {body} will meet again in {month} {year} to review progress.",
    "A summary of the decision will be published in all working languages.",
    "Further details are available from the national delegations.",
    "The next progress report is due at the end of {year}.",
)
# A recurring series: (headline, lead, figure sentences, boilerplate that never changes).
SERIES = (
    (
        "{body} publishes the {topic} index for {period}",
        "The {topic} index stood at {x}.{d} points in {period}, {move} from {y}.{e} points "
        "in the previous quarter, the {body} said today.",
        (
            "{n} of the {k}0 {things} reported an improvement.",
            "Readings were lowest near {city}, where the index fell to {z} points.",
            "The share of {things} in good condition rose to {p} per cent.",
        ),
        "The index combines measurements from {things} in all member states. It is "
        "published every quarter and revised once, when late data arrive.",
    ),
    (
        "Monthly bulletin on {topic}: {period}",
        "In {period} the {body} recorded {n}{k} incidents affecting {topic}, compared with "
        "{y} a year earlier.",
        (
            "Most incidents were reported from the area around {city}.",
            "Response teams reached {p} per cent of the sites within 24 hours.",
            "{n} {things} were inspected, {k} of them for the first time.",
        ),
        "The bulletin is compiled from national reports and is published on the first "
        "working day of each month. Figures for the latest month are provisional.",
    ),
)
QUARTERS = ("the first quarter", "the second quarter", "the third quarter", "the fourth quarter")
MONTHS = (
    "January February March April May June July August September October November December"
).split()


def _fill(template: str, rng: random.Random, topic: str, things: str, year: int) -> str:
    return template.format(
        topic=topic,
        things=things,
        year=year + rng.randint(0, 3),
        month=rng.choice(MONTHS),
        day=rng.randint(1, 28),
        n=rng.randint(3, 60),
        m=rng.randint(2, 400) / 2,
        p=rng.randint(5, 70),
        k=rng.randint(2, 9),
        h=rng.randint(2, 14),
        body=rng.choice(BODIES),
    )


def release(
    index: int, rng: random.Random, paragraphs: int | None = None, series: bool = True
) -> tuple[dt.date, str, str, list[str]]:
    """``(date, slug, headline, paragraphs)`` of release number ``index``.

    ``paragraphs`` fixes the number of middle paragraphs (2-5 at random otherwise; 0
    gives a release of about 50 words).
    """
    day = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randint(0, 11 * 365))
    city, body = rng.choice(CITIES), rng.choice(BODIES)
    what, topic, things = rng.choice(SUBJECTS)
    if paragraphs is None and rng.random() < 0.2 and series:
        return _recurring(index, rng, day, city)
    headline_verb, action = rng.choice(ACTIONS)
    person = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    role = rng.choice(ROLES)
    headline = f"{body} {headline_verb} {what}"
    lead = (
        f"{city}, {day.day} {MONTHS[day.month - 1]} {day.year} – The {body} today {action} "
        f"{what}. The decision, reference {day.year}/{index:05d}, "
        f"{_fill(rng.choice(REASONS), rng, topic, things, day.year)}."
    )
    middle = rng.randint(2, 5) if paragraphs is None else paragraphs
    texts = [lead]
    for _ in range(middle):
        sentences = rng.sample(DETAILS, rng.randint(2, 4))
        texts.append(" ".join(_fill(s, rng, topic, things, day.year) for s in sentences))
        if rng.random() < 0.5:
            quote = _fill(rng.choice(QUOTES), rng, topic, things, day.year)
            texts.append(f"“{quote},” said {person}, {role} of the {body}.")
    texts.append(_fill(rng.choice(CLOSINGS), rng, topic, things, day.year))
    slug = "-".join(what.split()[:4]).lower()
    return day, slug, headline, texts


def _recurring(
    index: int, rng: random.Random, day: dt.date, city: str
) -> tuple[dt.date, str, str, list[str]]:
    """A release of a recurring series: the same sentences as its siblings, other figures.

    Series, body and subject are fixed by ``index`` (a series always comes from one body,
    about one subject); the period is the quarter or month of the release date.
    """
    number = index % len(SERIES)
    headline_form, lead_form, figures, boilerplate = SERIES[number]
    _, topic, things = SUBJECTS[index % 3]
    body = BODIES[number]
    if number == 0:
        period = f"{QUARTERS[(day.month - 1) // 3]} of {day.year}"
    else:
        period = f"{MONTHS[day.month - 1]} {day.year}"
    values = {
        "body": body,
        "topic": topic,
        "things": things,
        "period": period,
        "city": city,
        "x": rng.randint(40, 90),
        "d": rng.randint(0, 9),
        "y": rng.randint(40, 90),
        "e": rng.randint(0, 9),
        "z": rng.randint(10, 40),
        "n": rng.randint(2, 9),
        "k": rng.randint(1, 9),
        "p": rng.randint(50, 99),
        "move": rng.choice(("up", "down")),
    }
    headline = headline_form.format(**values)
    lead = f"{city}, {day.day} {MONTHS[day.month - 1]} {day.year} – " + lead_form.format(**values)
    middle = " ".join(sentence.format(**values) for sentence in figures)
    quote = f"“The figures for {period} speak for themselves,” said the {ROLES[number]}."
    slug = ("series-quarterly-index", "series-monthly-bulletin")[number]
    return day, slug, headline, [lead, middle, boilerplate.format(**values), quote]


def render(kind: str, headline: str, paragraphs: list[str]) -> str:
    contact = "For media enquiries: press@example.org, +371 6700 0000"
    if kind == "html":
        blocks = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
        return (
            f"<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
            f"<title>{html.escape(headline)} | Press</title></head><body>"
            f"<nav><a href='/'>Home</a> <a href='/press'>Press</a></nav>"
            f"<main><article><h1>{html.escape(headline)}</h1>\n{blocks}\n"
            f"<p>{contact}</p></article></main>"
            f"<footer>© Example Commission. Privacy policy</footer></body></html>\n"
        )
    if kind == "md":
        return f"# {headline}\n\n" + "\n\n".join(paragraphs) + f"\n\n{contact}\n"
    return (
        "PRESS RELEASE\n\n"
        + headline
        + "\n\n"
        + "\n\n".join(paragraphs)
        + f"\n\n– END –\n\n{contact}\n"
    )


def write_archive(
    folder: Path,
    count: int,
    seed: int = 0,
    paragraphs: int | None = None,
    series: bool = True,
) -> list[Path]:
    """Write ``count`` releases under ``folder`` (``YYYY/YYYY-MM-DD-slug-NNNNN.ext``).

    ``series=False`` leaves out the recurring series, so that every release carries its
    own decision reference (the load run asks for each release by it).
    """
    rng = random.Random(seed)
    written: list[Path] = []
    for index in range(count):
        day, slug, headline, texts = release(index, rng, paragraphs, series)
        kind = rng.choices(("txt", "md", "html"), weights=(8, 1, 1))[0]
        path = folder / str(day.year) / f"{day.isoformat()}-{slug}-{index:05d}.{kind}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(kind, headline, texts), encoding="utf-8")
        written.append(path)
    return written
