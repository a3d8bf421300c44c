"""The layout of the instance workbook: its sheets, their columns, kinds and help texts.

One sheet per part of the instance (SCHEMA.md section 1). Every table sheet has its column
names in row 1 and a help row in row 2 (recognised by its `Help:` prefix, so deleting it is
harmless); data starts in row 3. Lists are `;`-separated cells; in a column whose list may be
"not given" (e.g. a series' `teachers`, which then inherits the UE's), an empty cell means
"not given" and `-` means "an empty list".
"""

from __future__ import annotations

from scheduler.data.types import WEEKDAYS
from scheduler.io.workbook_columns import Column, Ref, SheetSpec
from scheduler.rules import SOFT_RULES

KINDS_OF_RULE = ("unavailable", "available_only", "avoid")
ROOM_CAPACITY_MODES = ("hard", "soft")
YES_NO = ("yes", "no")

_DATE_RULE = "a date (one day)"
_WINDOW_FROM = "window: first allowed day (give both window_from and window_to, or neither)"

PROGRAMME = "Programme & calendar"
PROGRAMME_KEYS: tuple[Column, ...] = (
    Column("name", "id", "id of the instance (letters, digits, _ . -)", required=True),
    Column("title", "text", "title of the programme"),
    Column(
        "timezone",
        "text",
        "IANA time zone; empty = Europe/Brussels (another clock's country must name one)",
    ),
    Column("calendar.start", "date", "first teaching day (a date)", required=True),
    Column("calendar.end", "date", "last teaching day, inclusive (a date)", required=True),
    Column("public_holidays.country", "text", "hard, no teaching: country code (e.g. BE)"),
    Column("public_holidays.subdiv", "text", "subdivision of the country (e.g. French)"),
    Column(
        "public_holidays.dates", "dates", "extra public holidays: dates YYYY-MM-DD separated by ;"
    ),
    Column(
        "public_holidays.language",
        "text",
        "language of holiday names (e.g. fr, nl, de; default: the programme's language)",
    ),
    Column("school_holidays.country", "text", "soft, avoided (rule school_holidays): country code"),
    Column("school_holidays.subdiv", "text", "subdivision of the country"),
    Column(
        "school_holidays.dates", "dates", "extra school-holiday dates YYYY-MM-DD separated by ;"
    ),
    Column(
        "school_holidays.language",
        "text",
        "language of holiday names (e.g. fr, nl, de; default: the programme's language)",
    ),
    Column(
        "preferences.group_week_target",
        "int",
        "sessions per group per week before rule weekly_load costs; empty = 2",
        minimum=0,
    ),
    Column(
        "preferences.room_capacity",
        "enum",
        "hard (empty): rooms seat every session; soft: rule room_overflow charges the extra students",
        choices=ROOM_CAPACITY_MODES,
    ),
    Column(
        "reordered",
        "ids",
        "sessions out of their series' order (set by resolve after a cancellation; ids separated by ;)",
    ),
    Column(
        "dropped",
        "ids",
        "sessions no longer given (set by resolve's dropped change; ids separated by ;)",
    ),
    Column(
        "frozen_before",
        "date",
        "a re-solve's day (set by resolve): only sessions given before it, pinned, are dated before it",
    ),
    Column(
        "language",
        "text",
        "language of titles and names (e.g. fr), for screen readers and the calendars' labels; "
        "fr reads a text date 03/04/2027 day first",
    ),
)
PROGRAMME_HELP = (
    "One row per key: fill the value column. Leave all of public_holidays.* (or school_holidays.*) "
    "empty for none. The weekly slots, closures and everything else have their own sheets."
)

SLOTS = SheetSpec(
    "Slots",
    "The weekly pattern of teaching slots: one row per slot.",
    (
        Column(
            "id",
            "id",
            "unique slot id, e.g. MON-AM",
            required=True,
            former_help=("unique slot id, e.g. TUE-EVE",),
        ),
        Column("weekday", "enum", "mon ... sun", required=True, choices=WEEKDAYS),
        Column("start", "time", "start time HH:MM", required=True, width=9),
        Column("end", "time", "end time HH:MM", required=True, width=9),
    ),
    required=True,
    label_columns=(("id", "slot"),),
)

CLOSURES = SheetSpec(
    "Closures",
    "Hard: no teaching. One row per closure: a date, or from + to; slots limits it to some slots.",
    (
        Column("date", "date", _DATE_RULE, width=12),
        Column("from", "date", "first closed day (with to)", width=12),
        Column("to", "date", "last closed day, inclusive", width=12),
        Column(
            "slots", "ids", "only these slots (ids separated by ;); empty = all", optional_list=True
        ),
        Column("reason", "text", "shown in reports", width=40),
    ),
    # a closure has no id: its reason names its row (a Flemish audit's errors named none)
    label_columns=(("reason", "closure"),),
)

SITES = SheetSpec(
    "Sites & rooms",
    "One row per room. site_name, site_address and site_area on any one row of the site "
    "(repeat them or leave them empty on the others). A site without rooms: a row with the "
    "site only.",
    (
        Column(
            "site",
            "id",
            "site id, e.g. CAMPUS-A",
            required=True,
            former_help=("site id, e.g. NAMUR",),
        ),
        Column("site_name", "text", "name of the site", width=24),
        Column("site_address", "text", "address of the site", width=30),
        Column("room", "id", "unique room id (across all sites)"),
        Column("room_name", "text", "name of the room", width=24),
        Column("capacity", "int", "seats (required for a room)", minimum=1, width=10),
        Column(
            "features",
            "texts",
            "room features separated by ; (e.g. projector; accessible)",
            width=30,
        ),
        Column(
            "site_area",
            "id",
            "sites of one area are close enough to change between in a day (default: each "
            "site its own); on any one row of the site",
            width=14,
            added_later=True,
        ),
    ),
    required=True,
    label_columns=(("site", "site"), ("room", "room")),
)

GROUPS = SheetSpec(
    "Groups",
    "Who attends. part_of builds a tree; siblings with the same partition share no student.",
    (
        Column("id", "id", "unique group id", required=True),
        Column("name", "text", "name of the group", width=30),
        Column("size", "int", "number of students", required=True, minimum=0, width=8),
        Column("part_of", "id", "parent group id (empty for a top group)", ref="group"),
        Column("partition", "text", "siblings with the same partition are disjoint (e.g. option)"),
        Column("max_sessions_per_week", "int", "hard: slots a week any student attends", minimum=0),
    ),
    label_columns=(("id", "group"),),
    fallback_label=(("name", "group named"),),
)

TEACHERS = SheetSpec(
    "Teachers",
    "One row per teacher; availability rules are on sheet Availability.",
    (
        Column("id", "id", "unique teacher id", required=True),
        Column("name", "text", "full name", width=24),
        Column("home_site", "id", "site id (optional; rule teacher_travel)", ref="site"),
        Column("email", "text", "optional; used in calendars", width=30),
        Column(
            "max_sessions_per_week",
            "int",
            "hard: slots a week (a length-2 session counts 2)",
            minimum=0,
        ),
    ),
    label_columns=(("id", "teacher"),),
    fallback_label=(("name", "teacher named"),),
)

AVAILABILITY = SheetSpec(
    "Availability",
    "One row per rule of a teacher, OR of a room, OR of a series (ue and series; room and series "
    "rules are always 'unavailable'). A rule matches a dated slot when all its given fields match.",
    (
        Column("teacher", "id", "teacher id (or fill room instead)", ref="teacher"),
        Column(
            "room", "id", "room id, for room unavailability (kind must be unavailable)", ref="room"
        ),
        Column(
            "kind",
            "enum",
            "unavailable (hard), available_only (hard), avoid (soft)",
            required=True,
            choices=KINDS_OF_RULE,
            width=16,
        ),
        Column("date", "date", _DATE_RULE, width=12),
        Column("from", "date", "first day of a range", width=12),
        Column("to", "date", "last day of a range, inclusive", width=12),
        Column("weekday", "enum", "mon ... sun", choices=WEEKDAYS, width=9),
        Column(
            "slots",
            "ids",
            "slot ids (separated by ;); '-' = none",
            optional_list=True,
            former_help=("slot ids separated by ;; '-' = none",),  # up to stop 79's workbooks
        ),
        Column("ue", "id", "UE id, for a series' unavailability (with series)", ref="ue"),
        Column("series", "id", "series name of that UE (empty = main)"),
    ),
    label_columns=(("teacher", "teacher"), ("room", "room"), ("ue", "UE"), ("series", "series")),
)

UES = SheetSpec(
    "UEs",
    "One row per teaching unit; its series of sessions are on sheet Sessions.",
    (
        Column("id", "id", "unique UE id", required=True),
        Column("title", "text", "title of the UE", width=40),
        Column("ects", "number", "credits", width=7),
        Column("teachers", "ids", "default teachers of every series (ids separated by ;)"),
        Column("groups", "ids", "default attending groups (ids separated by ;)"),
        Column(
            "sites", "ids", "allowed sites (ids separated by ;); empty = all", optional_list=True
        ),
        Column("window_from", "date", _WINDOW_FROM, width=12),
        Column("window_to", "date", "window: last allowed day", width=12),
        Column(
            "max_days_between",
            "int",
            "soft (rule ue_gap): longest gap in days between its sessions as a student follows them",
            minimum=0,
            former_help=("soft (rule ue_gap): longest gap in days",),
        ),
        Column(
            "even_spread",
            "bool",
            "yes = spread evenly (rule ue_spread); empty = no",
            choices=YES_NO,
            width=11,
        ),
    ),
    label_columns=(("id", "UE"),),
    fallback_label=(("title", "UE titled"),),
)

SESSIONS = SheetSpec(
    "Sessions",
    "One row per series of sessions of a UE. Empty teachers/groups/sites/window/max_days_between "
    "inherit the UE's; '-' in a list column means an empty list.",
    (
        Column("ue", "id", "UE id", required=True, ref="ue"),
        Column("series", "id", "series name (empty = main); session ids are UE-series-01, ..."),
        Column("count", "int", "number of sessions", required=True, minimum=1, width=8),
        Column("length", "int", "consecutive slots per session; empty = 1", minimum=1, width=8),
        Column("room_features", "texts", "hard: features the room must have, separated by ;"),
        Column(
            "min_days_between",
            "int",
            "hard: days between consecutive sessions; empty = 0",
            minimum=0,
        ),
        Column("teachers", "ids", "override of the UE's teachers", optional_list=True),
        Column("groups", "ids", "override of the UE's groups", optional_list=True),
        Column("sites", "ids", "override of the UE's sites", optional_list=True),
        Column("window_from", "date", _WINDOW_FROM, width=12),
        Column("window_to", "date", "window: last allowed day", width=12),
        Column(
            "max_days_between",
            "int",
            "its own (rule ue_gap): the series then keeps its own rhythm, apart from the UE's",
            minimum=0,
            former_help=("override of the UE's (rule ue_gap)",),
        ),
        Column(
            "size",
            "int",
            "students per session (room capacity); empty = the sizes of its groups",
            minimum=0,
            width=8,
        ),
        Column(
            "min_days",
            "int",
            "soft (rule min_working_days): distinct dates its sessions should use",
            minimum=0,
            width=9,
        ),
        Column(
            "title",
            "text",
            "shown after the UE's title in calendars (e.g. plénière); empty = the series name",
            width=20,
            cosmetic=True,
        ),
    ),
    label_columns=(("ue", "UE"), ("series", "series")),
)

FIXED_EVENTS = SheetSpec(
    "Fixed events",
    "Placed by you; each blocks its groups, teachers and rooms on its dates.",
    (
        Column("id", "id", "unique event id", required=True),
        Column("title", "text", "title", width=30),
        Column(
            "site",
            "id",
            "site id; empty: online, abroad or a deadline",
            ref="site",
            former_help=("site id",),
        ),
        Column("rooms", "ids", "rooms of that site, separated by ;"),
        Column(
            "dates",
            "dates",
            "a date, or dates YYYY-MM-DD separated by ; ('-': none, an event cancelled)",
            required=True,
            former_help=("a date, or dates YYYY-MM-DD separated by ;",),
            width=24,
        ),
        Column("start", "time", "start time HH:MM", required=True, width=9),
        Column("end", "time", "end time HH:MM", required=True, width=9),
        Column("groups", "ids", "blocked groups, separated by ;"),
        Column("teachers", "ids", "blocked teachers, separated by ;"),
        Column(
            "location",
            "text",
            "where it is held, shown in place of the site (e.g. En ligne)",
            width=20,
            added_later=True,
            former_help=("where people read it is, in place of the site",),
        ),
    ),
    label_columns=(("id", "event"),),
    fallback_label=(("title", "event titled"),),
)

PRECEDENCES = SheetSpec(
    "Precedences",
    "Hard: every occurrence of `before` ends before any occurrence of `after` starts.",
    (
        Column(
            "before",
            "id",
            "a UE, series (UE1-main), session (UE1-main-03) or fixed event id",
            required=True,
            width=18,
        ),
        Column("after", "id", "a UE, series, session or fixed event id", required=True, width=18),
    ),
    label_columns=(("before", "before"), ("after", "after")),
)

PINS = SheetSpec(
    "Pins",
    "Hard: fix any subset of a session's date, slot, site and room.",
    (
        Column("session", "id", "session id, e.g. UE1-main-01", required=True, width=16),
        Column("date", "date", "the date", width=12),
        Column("slot", "id", "the slot id", ref="slot"),
        Column("site", "id", "the site id", ref="site"),
        Column("room", "id", "the room id", ref="room"),
    ),
    label_columns=(("session", "session"),),
)

SESSION_TEACHERS = SheetSpec(
    "Session teachers",
    "Sessions taught by others than their series' teachers (a guest; resolve's "
    "teacher_replaced writes the sessions a replaced teacher gave).",
    (
        Column("session", "id", "session id, e.g. UE1-main-03", required=True, width=16),
        Column(
            "teachers",
            "ids",
            "its teachers, separated by ; ('-': none)",
            former_help=("its teachers, separated by ; (empty: none)",),
            required=True,
            optional_list=True,
            ref="teacher",
            width=18,
        ),
    ),
    label_columns=(("session", "session"),),
)

WEIGHTS = SheetSpec(
    "Weights",
    "Soft rule weights; rules not listed keep their default weight; 0 switches a rule off.",
    (
        Column("rule", "enum", "soft rule name", required=True, choices=SOFT_RULES, width=20),
        Column("weight", "int", "weight (>= 0)", required=True, minimum=0, width=8),
    ),
    label_columns=(("rule", "rule"),),
)

TABLES: tuple[SheetSpec, ...] = (
    SLOTS,
    CLOSURES,
    SITES,
    GROUPS,
    TEACHERS,
    AVAILABILITY,
    UES,
    SESSIONS,
    FIXED_EVENTS,
    PRECEDENCES,
    PINS,
    SESSION_TEACHERS,
    WEIGHTS,
)
SHEET_NAMES: tuple[str, ...] = (PROGRAMME, *(t.name for t in TABLES))

# Where the ids of each kind are typed: the source of the cells' validation lists.
REF_SOURCES: dict[Ref, tuple[SheetSpec, str]] = {
    "slot": (SLOTS, "id"),
    "site": (SITES, "site"),
    "room": (SITES, "room"),
    "teacher": (TEACHERS, "id"),
    "group": (GROUPS, "id"),
    "ue": (UES, "id"),
}
