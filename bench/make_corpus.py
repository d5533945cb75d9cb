"""Generate a synthetic corpus of German municipal press texts for benchmarks.

Usage::

    python bench/make_corpus.py OUT_DIR --n 1000 --seed 42

writes ``N`` UTF-8 ``.txt`` files of 300 to 500 words each into ``OUT_DIR``
(created if missing). Every text is assembled from templates: a seeded
choice of German town, invented people and one of several page layouts
(press release, news page, portal article, newspaper report), with role
mentions in the forms found in real texts (title before the name,
apposition, ``als`` predicate, relative clause, quote attribution, photo
caption), date expressions and filler paragraphs about digitalisation topics.

The output depends only on ``--seed``: text ``i`` is built from its own
random generator seeded with the seed and ``i``, so ``--n 100`` writes the
first hundred files of ``--n 10000``. The people and events are invented.

The module can also be imported: ``generate(n, seed)`` yields
``(file name, text)`` pairs without touching the disk.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

MIN_WORDS = 300
MAX_WORDS = 500

TOWNS = (
    "Aachen",
    "Ahlen",
    "Arnsberg",
    "Aschaffenburg",
    "Bad Kreuznach",
    "Bad Oeynhausen",
    "Bamberg",
    "Bielefeld",
    "Bocholt",
    "Bottrop",
    "Brühl",
    "Celle",
    "Coesfeld",
    "Cottbus",
    "Detmold",
    "Dinslaken",
    "Eberswalde",
    "Erlangen",
    "Eschweiler",
    "Euskirchen",
    "Flensburg",
    "Fulda",
    "Gießen",
    "Görlitz",
    "Goslar",
    "Göttingen",
    "Gütersloh",
    "Hameln",
    "Hanau",
    "Heilbronn",
    "Herford",
    "Hildesheim",
    "Ingolstadt",
    "Iserlohn",
    "Kaiserslautern",
    "Kempten",
    "Konstanz",
    "Landshut",
    "Lemgo",
    "Lippstadt",
    "Lüdenscheid",
    "Lüneburg",
    "Marburg",
    "Minden",
    "Mülheim an der Ruhr",
    "Neumünster",
    "Neuss",
    "Offenburg",
    "Paderborn",
    "Passau",
    "Ravensburg",
    "Rheine",
    "Rosenheim",
    "Schwerte",
    "Siegen",
    "Soest",
    "Stralsund",
    "Tübingen",
    "Unna",
    "Weimar",
    "Wesel",
    "Wetzlar",
)
DISTRICTS = (
    "Harburg",
    "Emsland",
    "Lippe",
    "Osnabrück",
    "Ostholstein",
    "Rhön-Grabfeld",
    "Cochem-Zell",
    "Vorpommern-Greifswald",
    "Hameln-Pyrmont",
    "Gifhorn",
    "Darmstadt-Dieburg",
    "Ludwigsburg",
    "Bautzen",
    "Börde",
    "Elbe-Elster",
)
PROVIDER_REGIONS = (
    "Westfalen-Lippe",
    "Südwestfalen",
    "Niederrhein",
    "Rhein-Main",
    "Ostwestfalen",
    "Oberfranken",
    "Nordheide",
    "Mittelhessen",
    "Weser-Ems",
    "Hohenlohe",
)
PARTIES = ("SPD", "CDU", "CSU", "Grüne", "FDP", "Die Linke", "Freie Wähler", "Volt")

FEMALE_NAMES = (
    "Anna",
    "Andrea",
    "Angelika",
    "Anja",
    "Birgit",
    "Carina",
    "Christina",
    "Claudia",
    "Daniela",
    "Doris",
    "Elena",
    "Eva",
    "Franziska",
    "Gabriele",
    "Hannah",
    "Heike",
    "Ines",
    "Jana",
    "Johanna",
    "Julia",
    "Karin",
    "Katharina",
    "Kerstin",
    "Laura",
    "Lea",
    "Lena",
    "Maren",
    "Maria",
    "Melanie",
    "Miriam",
    "Monika",
    "Nadine",
    "Nicole",
    "Petra",
    "Sabine",
    "Sandra",
    "Sarah",
    "Silke",
    "Stefanie",
    "Susanne",
    "Tanja",
    "Ulrike",
)
MALE_NAMES = (
    "Alexander",
    "Andreas",
    "Bernd",
    "Björn",
    "Christian",
    "Christoph",
    "Daniel",
    "Dirk",
    "Felix",
    "Florian",
    "Frank",
    "Georg",
    "Hans-Peter",
    "Heiko",
    "Holger",
    "Jan",
    "Jens",
    "Jörg",
    "Jonas",
    "Jürgen",
    "Kai",
    "Karl-Heinz",
    "Klaus",
    "Lars",
    "Lukas",
    "Marc",
    "Markus",
    "Martin",
    "Matthias",
    "Michael",
    "Nils",
    "Oliver",
    "Patrick",
    "Peter",
    "Ralf",
    "Sebastian",
    "Stefan",
    "Thomas",
    "Thorsten",
    "Tobias",
    "Uwe",
    "Wolfgang",
)
SURNAMES = (
    "Albers",
    "Arnold",
    "Bauer",
    "Beck",
    "Becker",
    "Berger",
    "Brandt",
    "Brinkmann",
    "Busch",
    "Dietrich",
    "Engel",
    "Fischer",
    "Franke",
    "Friedrich",
    "Fuchs",
    "Graf",
    "Günther",
    "Haas",
    "Hahn",
    "Hartmann",
    "Heinrich",
    "Herrmann",
    "Hoffmann",
    "Horn",
    "Huber",
    "Jansen",
    "Jung",
    "Kaiser",
    "Keller",
    "Klein",
    "Koch",
    "Köhler",
    "König",
    "Kraft",
    "Krämer",
    "Krause",
    "Krüger",
    "Kuhn",
    "Lange",
    "Lehmann",
    "Lorenz",
    "Ludwig",
    "Maier",
    "Martens",
    "Meyer-Lindau",
    "Möller",
    "Müller",
    "Neumann",
    "Nowak",
    "Otto",
    "Peters",
    "Pohl",
    "Richter",
    "Roth",
    "Sauer",
    "Schäfer",
    "Schmitz",
    "Schneider",
    "Scholz",
    "Schröder",
    "Schulte",
    "Schulz",
    "Schwarz",
    "Seidel",
    "Simon",
    "Sommer",
    "Stein",
    "Thiel",
    "Vogel",
    "Voß",
    "Wagner",
    "Walter",
    "Weber",
    "Weiß",
    "Werner",
    "Winkler",
    "Wolf",
    "Yilmaz",
    "Zimmermann",
    "Özdemir",
)
MONTHS = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)


@dataclass(frozen=True)
class Role:
    """A role with its gendered forms and how it attaches to an organisation.

    ``org`` follows the role in an apposition (genitive), ``at`` names the
    employer after ``tätig``; both may use ``{town}``, ``{district}`` and
    ``{region}``. ``partisan`` roles carry a party in brackets; ``neuter``
    roles (``Ratsmitglied``) take neuter adjectives.
    """

    male: str
    female: str
    org: str
    at: str
    slug: str
    task: str
    partisan: bool = False
    neuter: bool = False

    def form(self, female: bool) -> str:
        return self.female if female else self.male


CITY, CITY_AT = "der Stadt {town}", "bei der Stadt {town}"
ADMIN, ADMIN_AT = "der Stadtverwaltung {town}", "in der Stadtverwaltung {town}"
DISTRICT, DISTRICT_AT = "des Landkreises {district}", "beim Landkreis {district}"

DIGITAL_ROLES = (
    Role("Chief Digital Officer", "Chief Digital Officer", CITY, CITY_AT, "cdo", "die Digitalstrategie der Verwaltung"),
    Role(
        "Digitalisierungsbeauftragter",
        "Digitalisierungsbeauftragte",
        CITY,
        CITY_AT,
        "digitalisierungsbeauftragte",
        "die Koordination aller Digitalprojekte",
    ),
    Role(
        "Digitallotse",
        "Digitallotsin",
        ADMIN,
        ADMIN_AT,
        "digitallotsen",
        "die Beratung der Kolleginnen und Kollegen im Fachbereich",
    ),
    Role(
        "Digital- und Changemanager",
        "Digital- und Changemanagerin",
        ADMIN,
        ADMIN_AT,
        "changemanagement",
        "die Begleitung von Veränderungsprojekten",
    ),
    Role(
        "Smart-City-Manager",
        "Smart-City-Managerin",
        CITY,
        CITY_AT,
        "smart-city",
        "die Umsetzung der Smart-City-Strategie",
    ),
    Role("IT-Leiter", "IT-Leiterin", ADMIN, ADMIN_AT, "it-leitung", "den Betrieb der gesamten IT-Infrastruktur"),
    Role(
        "Leiter des Amts für Digitalisierung",
        "Leiterin des Amts für Digitalisierung",
        CITY,
        CITY_AT,
        "amt-digitalisierung",
        "die Modernisierung der Verwaltungsprozesse",
    ),
    Role(
        "Leiter der Stabsstelle Digitalisierung",
        "Leiterin der Stabsstelle Digitalisierung",
        DISTRICT,
        DISTRICT_AT,
        "stabsstelle",
        "die Digitalisierung der Kreisverwaltung",
    ),
    Role(
        "Beigeordneter für Digitalisierung",
        "Beigeordnete für Digitalisierung",
        CITY,
        CITY_AT,
        "beigeordnete",
        "die Bereiche IT, Personal und Organisation",
    ),
    Role(
        "Geschäftsführer",
        "Geschäftsführerin",
        "des Kommunalen Rechenzentrums {region}",
        "beim Kommunalen Rechenzentrum {region}",
        "rechenzentrum",
        "den IT-Betrieb für die Mitgliedskommunen",
    ),
    Role(
        "Verbandsgeschäftsführer",
        "Verbandsgeschäftsführerin",
        "des IT-Zweckverbands {region}",
        "beim IT-Zweckverband {region}",
        "zweckverband",
        "die Dienstleistungen für die Verbandsmitglieder",
    ),
    Role(
        "Informationssicherheitsbeauftragter",
        "Informationssicherheitsbeauftragte",
        CITY,
        CITY_AT,
        "informationssicherheit",
        "den Schutz vor Cyberangriffen",
    ),
    Role(
        "Datenschutzbeauftragter",
        "Datenschutzbeauftragte",
        CITY,
        CITY_AT,
        "datenschutz",
        "die Einhaltung des Datenschutzes",
    ),
    Role("OZG-Koordinator", "OZG-Koordinatorin", CITY, CITY_AT, "ozg", "die Umsetzung des Onlinezugangsgesetzes"),
    Role(
        "Breitbandkoordinator",
        "Breitbandkoordinatorin",
        DISTRICT,
        DISTRICT_AT,
        "breitband",
        "den geförderten Glasfaserausbau",
    ),
)
MAYORS = (
    Role("Oberbürgermeister", "Oberbürgermeisterin", CITY, CITY_AT, "ob", "die Stadtverwaltung"),
    Role("Bürgermeister", "Bürgermeisterin", CITY, CITY_AT, "bm", "die Stadtverwaltung"),
)
PRESS_OFFICER = Role("Pressesprecher", "Pressesprecherin", CITY, CITY_AT, "presse", "die Öffentlichkeitsarbeit")
LANDRAT = Role("Landrat", "Landrätin", DISTRICT, DISTRICT_AT, "landrat", "die Kreisverwaltung")
OTHER_ROLES = (
    Role(
        "Erster Beigeordneter",
        "Erste Beigeordnete",
        CITY,
        CITY_AT,
        "beigeordnete",
        "das Dezernat für Ordnung und Soziales",
    ),
    Role("Baudezernent", "Baudezernentin", CITY, CITY_AT, "dezernat", "Stadtplanung und Bauordnung"),
    Role("Stadtkämmerer", "Stadtkämmerin", CITY, CITY_AT, "kaemmerei", "den städtischen Haushalt"),
    Role("Stadtrat", "Stadträtin", CITY, CITY_AT, "stadtrat", "den Digitalausschuss", partisan=True),
    Role("Ratsmitglied", "Ratsmitglied", CITY, CITY_AT, "rat", "den Digitalausschuss", partisan=True, neuter=True),
    Role(
        "Fraktionsvorsitzender",
        "Fraktionsvorsitzende",
        "im Rat der Stadt {town}",
        "im Rat der Stadt {town}",
        "fraktion",
        "die Arbeit der Fraktion",
        partisan=True,
    ),
    Role("Leiter des Bürgeramts", "Leiterin des Bürgeramts", CITY, CITY_AT, "buergeramt", "die Bürgerdienste"),
    Role(
        "Geschäftsführer",
        "Geschäftsführerin",
        "der Stadtwerke {town}",
        "bei den Stadtwerken {town}",
        "stadtwerke",
        "den Glasfaserausbau der Stadtwerke",
    ),
)


@dataclass(frozen=True)
class Person:
    """An invented person; ``title`` is an academic title or empty."""

    first: str
    last: str
    female: bool
    title: str

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.title, self.first, self.last) if part)

    @property
    def short(self) -> str:
        """How a later mention refers to the person: ``Dr. Kessler`` or ``Kessler``."""
        return f"{self.title} {self.last}" if self.title else self.last


@dataclass(frozen=True)
class Mention:
    """A person in a role, as cast for one text."""

    person: Person
    role: Role
    party: str = ""

    @property
    def role_name(self) -> str:
        return self.role.form(self.person.female)

    @property
    def name(self) -> str:
        return f"{self.person.name} ({self.party})" if self.party else self.person.name

    @property
    def new(self) -> str:
        """``neuer``, ``neue`` or ``neues`` to go before the role name."""
        if self.role.neuter:
            return "neues"
        return "neue" if self.person.female else "neuer"

    @property
    def titled(self) -> str:
        """Role before the name: ``Bürgermeisterin Anna Roth``."""
        return f"{self.role_name} {self.name}"


@dataclass(frozen=True)
class Setting:
    """Where and when a text plays."""

    town: str
    district: str
    region: str
    day: date

    def fill(self, template: str, **extra: str) -> str:
        return template.format(town=self.town, district=self.district, region=self.region, **extra)


# Sentences introducing the main person; {since} is a past date phrase,
# {future} a coming one.
INTRO_TEMPLATES = (
    "{name} ist {since} {role} {org}.",
    "{Since} ist {name} als {role} {org} im Amt.",
    "{name}, {rel} {since} als {role} {at} tätig ist, stellte am {weekday} die Pläne vor.",
    "Als {role} {org} verantwortet {name} {since} {task}.",
    "{name} wird {future} {neu} {role} {org}.",
    "{name} übernimmt {future} die Aufgabe als {role} {org}.",
    "{Since} arbeitet {name} als {role} {at}.",
    "{role} {name} kümmert sich {since} um {task}.",
)
MENTION_TEMPLATES = (
    "{titled} eröffnete die Veranstaltung im Rathaus.",
    "{name}, {role} {org}, stellte die Zahlen im Ausschuss vor.",
    "Auch {titled} begrüßte die Entscheidung.",
    "{name} ist als {role} für {task} zuständig.",
    "Unterstützt wird das Vorhaben von {name}, {role} {org}.",
    "{name}, {rel} als {role} {at} tätig ist, lobte die Zusammenarbeit.",
    "Kritische Fragen kamen von {titled}.",
)
QUOTE_TEMPLATES = (
    "„{quote_bare}“, so {titled}.",
    "„{quote_bare}“, sagte {titled}.",
    "{titled} betonte: „{quote}“",
    "„{quote_bare}“, erklärte {name}, {role} {org}.",
)
FOLLOW_UP_TEMPLATES = (
    "„{quote_bare}“, ergänzte {short}.",
    "{short} will bis Jahresende ein erstes Konzept vorlegen.",
    "Nach Einschätzung von {short} ist die Verwaltung auf einem guten Weg.",
    "{short} kündigte an, die Beschäftigten eng einzubinden.",
)
# Quotes end with a full stop, which is dropped before ``“, so ...``.
QUOTES = (
    "Digitalisierung ist kein Selbstzweck, sie muss den Menschen in {town} den Alltag erleichtern.",
    "Wir wollen, dass niemand mehr für einen einfachen Antrag ins Rathaus kommen muss.",
    "Gute digitale Verwaltung entsteht nur gemeinsam mit den Beschäftigten.",
    "Das ist ein wichtiger Schritt, aber noch lange nicht das Ende des Weges.",
    "Wir fangen bei den Leistungen an, die am häufigsten nachgefragt werden.",
    "Ohne schnelles Internet gibt es keine digitale Verwaltung.",
    "Mit dieser Entscheidung stellen wir die Weichen für die nächsten Jahre.",
    "Die Bürgerinnen und Bürger erwarten zu Recht moderne Angebote.",
    "Sicherheit und Datenschutz haben für uns oberste Priorität.",
    "Wir müssen das Rad nicht neu erfinden, sondern von anderen Kommunen lernen.",
    "Ich freue mich sehr auf die Aufgabe und auf die Zusammenarbeit.",
    "Künstliche Intelligenz kann uns entlasten, wenn wir sie verantwortungsvoll einsetzen.",
)
TITLES = (
    "{town}: {name} tritt Amt als {role} an",
    "Neu im Amt: {role} {name}",
    "{town} setzt auf Digitalisierung",
    "{name} wird {role}",
    "Neue Impulse für die digitale Verwaltung in {town}",
    "{role} {name} zieht erste Bilanz",
    "Digitales Rathaus: {town} kommt voran",
)

# Filler sentences by topic; placeholders are filled from ``_numbers``,
# drawn once per topic, so each placeholder occurs at most once per topic.
TOPICS = {
    "OZG": (
        "Nach Angaben der Verwaltung sind inzwischen {n} Verwaltungsleistungen vollständig online verfügbar.",
        "Das Onlinezugangsgesetz verpflichtet Bund, Länder und Kommunen, ihre Leistungen auch digital anzubieten.",
        "Besonders gefragt sind bislang die Anmeldung eines Wohnsitzes, das Anwohnerparken und die Hundesteuer.",
        "Bei vielen Leistungen fehlt noch die Anbindung an die Fachverfahren, sodass Daten von Hand übertragen werden.",
        "Die Verwaltung setzt auf das Prinzip „Einer für alle“ und übernimmt Lösungen anderer Länder.",
        "Bis Ende {next_year} sollen weitere {m} Leistungen hinzukommen.",
        "Mit einem Nutzerkonto lassen sich Anträge speichern und der Bearbeitungsstand jederzeit einsehen.",
        "Wer keinen Internetzugang hat, kann sich weiterhin persönlich im Bürgerbüro beraten lassen.",
    ),
    "E-Akte": (
        "Die elektronische Akte ist inzwischen an {pct} Prozent der Arbeitsplätze im Einsatz.",
        "Papierakten werden schrittweise digitalisiert und revisionssicher archiviert.",
        "Gerade im Bauamt verkürzt die E-Akte die Bearbeitungszeiten spürbar.",
        "Für die Einführung wurden in den vergangenen Monaten {count} Beschäftigte geschult.",
        "Rechnungen laufen bereits seit {year} über einen digitalen Workflow.",
        "Ziel ist eine weitgehend papierlose Verwaltung bis {next_year}.",
        "Die Umstellung erfolgt Fachbereich für Fachbereich, um den laufenden Betrieb nicht zu stören.",
        "Auch die Sitzungsunterlagen des Rates werden künftig nur noch digital verschickt.",
    ),
    "Glasfaser": (
        "Rund {pct} Prozent der Haushalte in {town} können inzwischen einen Glasfaseranschluss buchen.",
        "Für die verbleibenden unterversorgten Adressen stehen Fördermittel von Bund und Land bereit.",
        "Im Außenbereich werden in diesem Jahr weitere {n} Kilometer Leitungen verlegt.",
        "Alle Schulen der Stadt sollen bis {next_year} an das Glasfasernetz angeschlossen sein.",
        "Die Bauarbeiten führen in einigen Straßen vorübergehend zu Einschränkungen.",
        "Gewerbegebiete werden beim Ausbau bevorzugt berücksichtigt.",
        "Der eigenwirtschaftliche Ausbau durch private Anbieter kommt dagegen nur langsam voran.",
        "Eine Karte im Internet zeigt, welche Straßen bereits versorgt sind.",
    ),
    "Serviceportal": (
        "Das neue Serviceportal bündelt alle Onlinedienste der Stadt an einer Stelle.",
        "Seit dem Start wurden über das Portal mehr als {count} Anträge gestellt.",
        "Termine im Bürgerbüro lassen sich inzwischen rund um die Uhr online buchen.",
        "Gebühren können direkt im Portal mit gängigen Bezahlverfahren beglichen werden.",
        "Das Portal ist barrierefrei gestaltet und auch in einfacher Sprache verfügbar.",
        "Rückmeldungen der Nutzerinnen und Nutzer fließen laufend in die Weiterentwicklung ein.",
        "Ein Chatbot beantwortet häufige Fragen auch außerhalb der Öffnungszeiten.",
        "Die Zahl der Besuche im Portal hat sich im Vergleich zum Vorjahr mehr als verdoppelt.",
    ),
    "KI": (
        "In einem Pilotprojekt testet die Verwaltung den Einsatz künstlicher Intelligenz.",
        "Ein KI-Assistent soll Beschäftigten helfen, Texte zusammenzufassen und Bescheide vorzubereiten.",
        "Personenbezogene Daten werden dabei nicht an externe Anbieter übermittelt.",
        "Eine Dienstvereinbarung mit dem Personalrat regelt den Umgang mit den neuen Werkzeugen.",
        "Erste Erfahrungen sollen bis zum Sommer {next_year} ausgewertet werden.",
        "An dem Projekt beteiligen sich {n} Beschäftigte aus verschiedenen Ämtern.",
        "Die Entscheidung über einen Bescheid trifft auch künftig immer ein Mensch.",
        "Die Verwaltung arbeitet dabei mit einer Hochschule aus der Region zusammen.",
    ),
    "Personal": (
        "Wie viele Kommunen sucht auch {town} dringend IT-Fachkräfte.",
        "In den nächsten zehn Jahren geht rund ein Drittel der Beschäftigten in den Ruhestand.",
        "Mobiles Arbeiten ist inzwischen für {pct} Prozent der Beschäftigten möglich.",
        "Die Stadt bildet seit {year} selbst Fachinformatikerinnen und Fachinformatiker aus.",
        "Im Stellenplan sind {m} zusätzliche Stellen für die Digitalisierung vorgesehen.",
        "Der Rat hat dafür Mittel in Höhe von {money} Euro bereitgestellt.",
        "Ein Teil der Kosten wird über Förderprogramme des Landes gedeckt.",
        "Der Ausschuss für Digitalisierung wird regelmäßig über den Stand der Projekte informiert.",
    ),
}


def _random_day(rng: random.Random) -> date:
    return date(2021, 1, 1) + timedelta(days=rng.randrange(5 * 365))


def _numeric_date(day: date) -> str:
    return f"{day:%d.%m.%Y}"


def _long_date(day: date) -> str:
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"


def _since(rng: random.Random, day: date) -> str:
    """A phrase for a start in the past, e.g. ``seit dem 1. März 2023``."""
    start = day - timedelta(days=rng.randint(20, 900))
    month = MONTHS[start.month - 1]
    phrases = [
        f"seit dem {start.day}. {month} {start.year}",
        f"seit dem 1. {month} {start.year}",
        f"seit {month} {start.year}",
        f"seit {start.year}",
    ]
    if start.year == day.year:
        phrases.append(f"seit {month}")
    return rng.choice(phrases)


def _future(rng: random.Random, day: date) -> str:
    """A phrase for a coming start, e.g. ``ab Juli`` or ``zum 1. Juli 2025``."""
    start = day + timedelta(days=rng.randint(20, 240))
    month = MONTHS[start.month - 1]
    return rng.choice(
        (
            f"ab {month}",
            f"zum 1. {month} {start.year}",
            f"ab dem 1. {month}",
            f"im {month}",
        )
    )


def _numbers(rng: random.Random, setting: Setting) -> dict[str, str]:
    return {
        "n": str(rng.randint(12, 140)),
        "m": str(rng.randint(3, 25)),
        "pct": str(rng.randint(25, 96)),
        "count": f"{rng.randint(2, 60) * 100:,}".replace(",", "."),
        "money": f"{rng.randint(2, 90) * 10_000:,}".replace(",", "."),
        "year": str(setting.day.year - rng.randint(1, 4)),
        "next_year": str(setting.day.year + rng.randint(1, 2)),
    }


def _person(rng: random.Random, surname: str) -> Person:
    female = rng.random() < 0.5
    first = rng.choice(FEMALE_NAMES if female else MALE_NAMES)
    title = rng.choices(("", "Dr.", "Prof. Dr."), weights=(80, 17, 3))[0]
    return Person(first, surname, female, title)


def _cast(rng: random.Random, roles: Sequence[Role]) -> list[Mention]:
    """People with distinct surnames for the given roles."""
    surnames = rng.sample(SURNAMES, len(roles))
    return [
        Mention(_person(rng, surname), role, rng.choice(PARTIES) if role.partisan else "")
        for surname, role in zip(surnames, roles)
    ]


def _fields(rng: random.Random, setting: Setting, mention: Mention) -> dict[str, str]:
    """Template fields describing one mention."""
    female = mention.person.female
    since = _since(rng, setting.day)
    quote = setting.fill(rng.choice(QUOTES))
    return {
        "name": mention.name,
        "titled": mention.titled,
        "short": mention.person.short,
        "role": mention.role_name,
        "org": setting.fill(mention.role.org),
        "at": setting.fill(mention.role.at),
        "task": mention.role.task,
        "rel": "die" if female else "der",
        "neu": mention.new,
        "since": since,
        "Since": since[0].upper() + since[1:],
        "future": _future(rng, setting.day),
        "weekday": rng.choice(("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag")),
        "town": setting.town,
        "quote": quote,
        "quote_bare": quote.rstrip("."),
    }


def _sentence(rng: random.Random, setting: Setting, mention: Mention, templates: Sequence[str]) -> str:
    return rng.choice(templates).format(**_fields(rng, setting, mention))


def _sentences(
    rng: random.Random, setting: Setting, mentions: Sequence[Mention], templates: Sequence[str]
) -> list[str]:
    """One sentence per mention, each from a different template."""
    chosen = rng.sample(templates, len(mentions))
    return [t.format(**_fields(rng, setting, m)) for t, m in zip(chosen, mentions)]


def _caption_item(rng: random.Random, mention: Mention, newcomer: bool) -> str:
    """How a caption names one person; only newcomers are called ``neu``."""
    forms = [mention.titled, mention.name]
    if newcomer:
        forms.append(f"{mention.name} als {mention.new} {mention.role_name}")
    return rng.choice(forms)


def _caption(rng: random.Random, setting: Setting, items: Sequence[str]) -> str:
    """A photo caption listing people left to right."""
    people = ", ".join(items[:-1]) + " und " + items[-1]
    photographer = _person(rng, rng.choice(SURNAMES))
    credit = rng.choice(
        (
            f"Foto: {photographer.first} {photographer.last}, Stadt {setting.town}",
            f"Foto: Stadt {setting.town}",
        )
    )
    opener = rng.choice(("(v.l.n.r.)", "(v.l.n.r.:)", "Von links:"))
    return f"{opener} {people}. {credit}"


def _filler(rng: random.Random, setting: Setting, words: int) -> list[str]:
    """Paragraphs of topic sentences, at least ``words`` words in all.

    Topics come in a seeded order, so the first one dominates the text.
    """
    paragraphs: list[list[str]] = []
    total = 0
    for topic in rng.sample(list(TOPICS), len(TOPICS)):
        if total >= words:
            break
        numbers = _numbers(rng, setting)
        size = rng.randint(2, 4)
        for position, template in enumerate(rng.sample(TOPICS[topic], len(TOPICS[topic]))):
            if total >= words:
                break
            if position % size == 0:
                paragraphs.append([])
            sentence = setting.fill(template, **numbers)
            paragraphs[-1].append(sentence)
            total += len(sentence.split())
    return [" ".join(paragraph) for paragraph in paragraphs]


def _header(layout: str, setting: Setting, title: str) -> str:
    """Page furniture, date line and title above the body."""
    day = setting.day
    if layout == "press":
        return f"{_numeric_date(day)}\n\n{title}"
    if layout == "web":
        return (
            "Startseite › Rathaus › Aktuelles\n\nZurück | Seitenanfang | Druckansicht"
            f"\n\n{title}\n\nBeginndatum\n{_numeric_date(day)}"
        )
    return title


def _dateline(layout: str, setting: Setting) -> str:
    """What opens the first paragraph."""
    if layout == "portal":
        return f"[{_numeric_date(setting.day)}] "
    if layout == "newspaper":
        return f"{setting.town}, {_long_date(setting.day)}. "
    return ""


def _footer(rng: random.Random, layout: str, setting: Setting, press: Mention) -> str:
    """Contact block, share links, keywords or author initials below the body."""
    town = setting.town
    if layout == "press":
        phone = f"0{rng.randint(200, 9999)} {rng.randint(100, 999)}-{rng.randint(0, 9999)}"
        return (
            f"Herausgegeben von:\nStadt {town}\nPresse- und Öffentlichkeitsarbeit\n"
            f"Rathausplatz {rng.randint(1, 20)}\n{rng.randint(10000, 99999)} {town}\n"
            f"Telefon: {phone}\nE-Mail: presse@{_slug(town)}.de\n{press.titled}\n\n"
            f"© {setting.day.year} Stadt {town}"
        )
    if layout == "web":
        return "Teilen:\nLogo von Facebook Logo von Instagram\n\nZurück | Seitenanfang | Druckansicht"
    if layout == "portal":
        return f"Stichwörter: Digitalisierung, {town}, Verwaltungsmodernisierung"
    return f"({rng.choice(SURNAMES)[:2].lower()})"


def _slug(text: str) -> str:
    text = text.lower()
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, plain)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _words(parts: Sequence[str]) -> int:
    return sum(len(part.split()) for part in parts)


def _document(rng: random.Random, index: int) -> tuple[str, str]:
    """One text and its file name."""
    setting = Setting(rng.choice(TOWNS), rng.choice(DISTRICTS), rng.choice(PROVIDER_REGIONS), _random_day(rng))
    layout = rng.choice(("press", "web", "portal", "newspaper"))
    main_role, *colleague_roles = rng.sample(DIGITAL_ROLES, rng.randint(1, 2))
    head = LANDRAT if main_role.org == DISTRICT else rng.choice(MAYORS)
    side_roles = rng.sample(OTHER_ROLES, rng.randint(1, 3))
    main, mayor, press, *rest = _cast(rng, [main_role, head, PRESS_OFFICER, *colleague_roles, *side_roles])
    colleagues, side = rest[: len(colleague_roles)], rest[len(colleague_roles) :]

    header = _header(layout, setting, rng.choice(TITLES).format(**_fields(rng, setting, main)))
    lead = _dateline(layout, setting) + _sentence(rng, setting, main, INTRO_TEMPLATES)
    quote = _sentence(rng, setting, mayor, QUOTE_TEMPLATES)
    follow_up = _sentence(rng, setting, main, FOLLOW_UP_TEMPLATES)
    mentions = " ".join(
        _sentences(rng, setting, colleagues, INTRO_TEMPLATES) + _sentences(rng, setting, side, MENTION_TEMPLATES)
    )
    caption = ""
    if rng.random() < 0.6:
        pictured = [(mayor, False), (main, True), *((m, True) for m in colleagues), *((m, False) for m in side)]
        caption = _caption(rng, setting, [_caption_item(rng, m, new) for m, new in pictured])
    footer = _footer(rng, layout, setting, press)

    fixed = [header, lead, quote, follow_up, mentions, caption, footer]
    target = rng.randint(MIN_WORDS + 10, MAX_WORDS - 40)
    paragraphs = _filler(rng, setting, target - _words(fixed))

    lead_paragraph = f"{lead} {paragraphs[0]}" if paragraphs else lead
    body = [lead_paragraph, f"{quote} {follow_up}", *paragraphs[1:2], mentions, *paragraphs[2:], caption]
    text = "\n\n".join(part for part in (header, *body, footer) if part) + "\n"

    prefix = f"{setting.day:%Y-%m-%d}_" if rng.random() < 0.6 else ""
    name = f"{prefix}{_slug(setting.town)}_{main_role.slug}_{index:05d}.txt"
    return name, text


def generate(n: int, seed: int) -> Iterator[tuple[str, str]]:
    """Yield ``n`` synthetic press texts as ``(file name, text)`` pairs."""
    for index in range(n):
        yield _document(random.Random(f"{seed}:{index}"), index)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic corpus of German municipal press texts.")
    parser.add_argument("out_dir", type=Path, help="folder to write the .txt files to")
    parser.add_argument("--n", type=int, default=1000, help="number of texts (default 1000)")
    parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    args = parser.parse_args(argv)
    if args.n < 0:
        parser.error("--n must not be negative")

    args.out_dir.mkdir(parents=True, exist_ok=True)
    for name, text in generate(args.n, args.seed):
        (args.out_dir / name).write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {args.n} texts to {args.out_dir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
