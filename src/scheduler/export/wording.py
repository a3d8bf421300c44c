"""The words of what people subscribe to and open, the page and the calendar feeds, in the
instance's language (`language: fr` gives French labels around French titles; Dutch and
German too, Belgium's other languages); English for a language without a catalogue here.
The data (titles, names, places, holiday names) is the instance's own whatever the language;
the CLI, logs, the workbook and changes.md stay English (a re-solve's notices.csv, sent to
people, has its sentences in `resolve.notice_words`).

A catalogue is a flat mapping of keys to strings (`{n}`-style fields filled by the caller)
plus the day and month names; the page's script receives its catalogue with its data.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from scheduler.export.wording_de import DE
from scheduler.export.wording_nl import NL

Words = Mapping[str, Any]

# fmt: off
EN: dict[str, Any] = {
    "lang": "en",
    "days": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    "months": [
        "January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December",
    ],
    "monthsShort": [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ],
    "dayOne": "1",  # how the first of a month is written
    "dayMark": "",  # after any other day of the month (German: `15.`)
    "listSep": "; ",
    # the page's frame
    "timetable": "timetable",
    "sub": "Instance {name} · {count} sessions and event days · times in {zone}",
    "month": "Month",
    "week": "Week",
    "list": "List",
    "previous": "Previous",
    "next": "Next",
    "first": "First",
    "today": "Today",
    "group": "Group",
    "teacher": "Teacher",
    "site": "Site",
    "room": "Room",
    "print": "Print",
    "subscribe": "Subscribe",  # a link to the filter's calendar feed, webcal://
    "feedFile": "Calendar (.ics)",  # the same feed's file
    "feedOf": "The calendar feed of: {label}",
    "noscript": "This timetable needs JavaScript.",
    "noscriptTables": "timetable.csv and timetable.xlsx hold the same data.",
    "studentOf": "A student of",
    "allGroups": "All groups",
    "allTeachers": "All teachers",
    "allSites": "All sites",
    "allRooms": "All rooms",
    "close": "Close",
    # what the script writes
    "weekOf": "Week {n}: {first} – {last}",
    "weekFrom": "Week {n} — from {first}",
    "columns": ["Date", "Time", "Session", "Place", "Teachers", "Groups"],
    "nothing": "Nothing scheduled in this period.",
    "count": "{matching} of {total} sessions and event days match; {shown} shown",
    "everything": "everything",
    "filterNames": {"group": "group", "teacher": "teacher", "site": "site", "room": "room"},
    "teachers": "Teachers: ",
    "groups": "Groups: ",
    "none": "-",  # no teacher, no group
    "was": "Was: ",
    "now": "Now: ",
    "wasShort": "was ",
    "nowTeachers": "; teachers: ",
    "cancelledHead": "Cancelled: ",
    "droppedHead": "Dropped: ",
    "leftHead": "No longer here: ",
    "newHere": "New in this revision",
    "marks": {  # of a session
        "moved": "moved", "added": "new", "cancelled": "cancelled", "teacher": "new teacher",
        "left": "moved away", "reassigned": "given to another", "dropped": "dropped",
        "shifted": "moved to",
    },
    "eventMarks": {  # of a fixed event's day
        "moved": "moved", "added": "new", "cancelled": "cancelled", "teacher": "new teacher",
        "left": "moved away", "reassigned": "given to another", "dropped": "dropped",
        "shifted": "moved to",
    },
    "marksShort": {  # on a phone's narrow days
        "moved": "moved", "added": "new", "cancelled": "cancelled", "teacher": "teacher",
        "left": "moved", "reassigned": "given", "dropped": "dropped", "shifted": "→",
    },
    "eventCancelledHead": "Cancelled: ",
    "eventNewHere": "New in this revision",
    # a re-solve's header line
    "changes": {  # a count's words: one, several
        "moved": ["moved", "moved"], "added": ["added", "added"],
        "cancelled": ["cancelled", "cancelled"],
        "dropped": ["dropped (not given)", "dropped (not given)"],
        "teacher": ["with another teacher", "with another teacher"],
    },
    "eventDays": ["{n} fixed-event day changed", "{n} fixed-event days changed"],
    "revisedUnknown": "what changed is not marked (the timetable it revised could not be read)",
    "revisedSince": "since {since}the timetable it revised: {counts} (marked below)",
    "noChange": "no session changed",
    "resolvedFor": "{label}: re-solved for the changes known on {today}; {what}",
    "taughtBy": "to be taught by {names}",
    "nobody": "nobody",
    "noRoom": "no room",
    "closure": "closure",
    "publicHoliday": "public holiday",  # a date listed without a name
    "siteClosed": "{site} closed",  # every room of a site unavailable a teaching day
    "schoolHoliday": "school holiday",
    # what a day's note means, said in words (its colour and style alone said it: an audit)
    "dayClosed": "closed to teaching",
    "daySchool": "school holiday, teaching possible",
    # calendar feeds' descriptions
    "icsSession": "Session: ",
    "icsEvent": "Fixed event",
    "icsCancelled": "Cancelled: ",  # the title of a cancelled event, to come or past
    "icsEventMoved": "Moved: ",  # a fixed event's day given up for another day
    # the same, with the days it went to (one day, several)
    "icsEventMovedTo": ["Moved to {days}: ", "Moved to {days}: "],
    "makeUp": ", make-up",  # after a session's place in its series, given out of order
    # the title of a session in a feed it left (by that feed's kind): still given, elsewhere
    "icsLeft": {"teacher": "Given to another: ", "room": "Moved away: ", "site": "Moved away: ",
                "other": "No longer here: "},
    # a session's, where a language agrees the words with it (French: une séance)
    "icsSessionCancelled": "Cancelled: ",
    "icsSessionLeft": {"teacher": "Given to another: ", "room": "Moved away: ",
                       "site": "Moved away: ", "other": "No longer here: "},
}

FR: dict[str, Any] = {
    "lang": "fr",
    "days": ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."],
    "months": [
        "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
        "octobre", "novembre", "décembre",
    ],
    "monthsShort": [
        "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.",
        "nov.", "déc.",
    ],
    "dayOne": "1er",
    "dayMark": "",
    "listSep": " ; ",
    "timetable": "horaire",
    "sub": "Instance {name} · {count} séances et jours d'événement · heures locales ({zone})",
    "month": "Mois",
    "week": "Semaine",
    "list": "Liste",
    "previous": "Précédent",
    "next": "Suivant",
    "first": "Début",
    "today": "Aujourd'hui",
    "group": "Groupe",
    "teacher": "Enseignant",
    "site": "Site",
    "room": "Local",
    "print": "Imprimer",
    "subscribe": "S'abonner",
    "feedFile": "Calendrier (.ics)",
    "feedOf": "Le calendrier de : {label}",
    "noscript": "Cet horaire nécessite JavaScript.",
    "noscriptTables": "Les fichiers timetable.csv et timetable.xlsx contiennent les mêmes "
    "données.",
    "studentOf": "Étudiants de plusieurs groupes",
    "allGroups": "Tous les groupes",
    "allTeachers": "Tous les enseignants",
    "allSites": "Tous les sites",
    "allRooms": "Tous les locaux",
    "close": "Fermer",
    "weekOf": "Semaine {n} : {first} – {last}",
    "weekFrom": "Semaine {n} — à partir du {first}",
    "columns": ["Date", "Heures", "Séance", "Lieu", "Enseignants", "Groupes"],
    "nothing": "Rien de prévu sur cette période.",
    "count": "Sélection : {matching} sur {total} séances et jours d'événement ; à l'écran : "
    "{shown}",
    "everything": "horaire complet",
    "filterNames": {
        "group": "groupe :", "teacher": "enseignant :", "site": "site :", "room": "local :",
    },
    "teachers": "Enseignants : ",
    "groups": "Groupes : ",
    "none": "aucun",
    "was": "Avant : ",
    "now": "Maintenant : ",
    "wasShort": "avant : ",
    "nowTeachers": " ; enseignants : ",
    "cancelledHead": "Annulée : ",
    "droppedHead": "Supprimée : ",
    "leftHead": "Ne figure plus ici : ",
    "newHere": "Nouvelle dans cette révision",
    "marks": {
        "moved": "déplacée", "added": "nouvelle", "cancelled": "annulée",
        "teacher": "autre enseignant", "left": "déplacée ailleurs",
        "reassigned": "confiée à un collègue", "dropped": "supprimée", "shifted": "déplacée au",
    },
    "eventMarks": {
        "moved": "déplacé", "added": "nouveau", "cancelled": "annulé",
        "teacher": "autre enseignant", "left": "déplacé ailleurs",
        "reassigned": "confié à un collègue", "dropped": "supprimé", "shifted": "déplacé au",
    },
    "marksShort": {
        "moved": "dépl.", "added": "nouv.", "cancelled": "annul.", "teacher": "ens.",
        "left": "ailleurs", "reassigned": "confié", "dropped": "suppr.", "shifted": "→",
    },
    "eventCancelledHead": "Annulé : ",
    "eventNewHere": "Nouveau dans cette révision",
    "changes": {
        "moved": ["séance déplacée", "séances déplacées"],
        "added": ["séance ajoutée", "séances ajoutées"],
        "cancelled": ["séance annulée", "séances annulées"],
        "dropped": ["séance supprimée (ne sera pas donnée)",
                    "séances supprimées (ne seront pas données)"],
        "teacher": ["séance confiée à un autre enseignant",
                    "séances confiées à un autre enseignant"],
    },
    "eventDays": ["{n} jour d'événement modifié", "{n} jours d'événement modifiés"],
    "revisedUnknown": "les changements ne sont pas marqués (l'horaire précédent est illisible)",
    "revisedSince": "par rapport à {since}l'horaire précédent : {counts} (voir les marques ci-dessous)",
    "noChange": "aucune séance modifiée",
    "resolvedFor": "{label} : horaire recalculé pour les changements connus le {today} ; {what}",
    "taughtBy": "prévue avec {names}",
    "nobody": "personne",
    "noRoom": "sans local",
    "closure": "fermeture",
    "publicHoliday": "jour férié",
    "siteClosed": "{site} fermé",
    "schoolHoliday": "congé scolaire",
    "dayClosed": "fermé aux cours",
    "daySchool": "congé scolaire, cours possibles",
    "icsSession": "Séance : ",
    "icsEvent": "Événement fixe",
    "icsCancelled": "Annulé : ",
    "icsEventMoved": "Déplacé : ",
    "icsEventMovedTo": ["Déplacé au {days} : ", "Déplacé aux {days} : "],
    "makeUp": ", rattrapage",
    "icsLeft": {"teacher": "Confié à un collègue : ", "room": "Déplacé ailleurs : ",
                "site": "Déplacé ailleurs : ", "other": "Ne figure plus ici : "},
    # a session (une séance) agrees in the feminine, as on the page (a Québec audit read
    # "Annulé : " in the feeds and "Annulée : " on the page for one session)
    "icsSessionCancelled": "Annulée : ",
    "icsSessionLeft": {"teacher": "Confiée à un collègue : ", "room": "Déplacée ailleurs : ",
                       "site": "Déplacée ailleurs : ", "other": "Ne figure plus ici : "},
}
# fmt: on

CATALOGUES: dict[str, dict[str, Any]] = {"en": EN, "fr": FR, "nl": NL, "de": DE}


def words_for(language: str | None) -> Words:
    """The catalogue of an instance's `language` (`fr`, `fr-BE` -> French), English for none
    or one without a catalogue.

    >>> words_for("fr-BE")["today"], words_for("nl")["today"], words_for("it")["today"]
    ("Aujourd'hui", 'Vandaag', 'Today')
    """
    return CATALOGUES.get(primary_language(language), EN)


def primary_language(language: str | None) -> str:
    """`fr` for `fr-BE` (or `FR`), `en` for none."""
    return (language or "en").split("-")[0].lower()


def _day_of_month(words: Words, day: date) -> str:
    return words["dayOne"] if day.day == 1 else f"{day.day}{words['dayMark']}"


def day_words(words: Words, day: date) -> str:
    """`Tue 15 Sep 2026`, `mar. 1er déc. 2026`, `Di. 15. Sept. 2026`: a date as the page
    writes it."""
    weekday = words["days"][day.weekday()]
    return f"{weekday} {_day_of_month(words, day)} {words['monthsShort'][day.month - 1]} {day.year}"


def long_date(words: Words, day: date) -> str:
    """`20 November 2026`, `1er décembre 2026`."""
    return f"{_day_of_month(words, day)} {words['months'][day.month - 1]} {day.year}"


def counted(words: Words, key: str, n: int) -> str:
    """A count with its words, one or several: `1 séance déplacée`, `2 séances déplacées`."""
    one, several = words["changes"][key]
    return f"{n} {one if n == 1 else several}"
