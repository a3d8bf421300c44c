"""The words of a re-solve's notices (`notices.csv`), in the instance's language: what the
people a change concerns are sent, who read French, Dutch or German rather than the staff's
English of changes.md. The month names and the way a date is written come from the page's
catalogues (`export.wording`); these are the sentences around them. A language without
sentences here gets English, as the page does.

Fields: `{title}` a session's or event's title as the calendars give it, `{before}` and
`{after}` a day with its hours and place (`{when}` the same without the place), `{place}` a
room and site, `{programme}` the instance's title, `{today}` the re-solve's date; with
`elide`, `{before_of}` is `de X`, or `d'X` before a vowel (`au lieu d'Anne Lambert`). An event's
days come with their preposition (`of`, `to`, `on`: French `du`/`des`, `au`/`aux`,
`le`/`les`, for one day or several), joined by `and` (a list of days read "du samedi 19 ;
samedi 26" before).
"""

from __future__ import annotations

from typing import Any

from scheduler.export.wording import primary_language

# fmt: off
EN: dict[str, Any] = {
    "weekdays": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "day": "{weekday} {date}",
    "subject": "Timetable change: {programme}",
    "hello": "Hello,",
    "intro": ["The timetable of {programme} was updated on {today}. This change concerns you:",
              "The timetable of {programme} was updated on {today}. These changes concern you:"],
    "moved": "{title}: the session of {before} moves to {after}",
    "movedPlace": "{title}: the session of {when} moves to another room: {place}",
    "stays": "{title}: the session of {before}",
    "added": "{title}: a new session on {after}",
    "dropped": "{title}: the session of {before} is cancelled",
    "taughtBy": "; it is taught by {after} instead of {before}",
    "teacherGone": "; it is no longer taught by {before}",
    "teacherJoins": "; it is also taught by {after}",
    # to the teacher concerned (`reader`): "it is no longer taught by <their own name>" read oddly
    "youReplaced": "; you no longer teach it: it is taught by {after}",
    "youNobody": "; you no longer teach it: no teacher is planned",
    "nobodyNow": "; it is no longer taught by {before}: no teacher is planned",
    "eventYouGone": "you no longer take part",
    "eventYouJoin": "you now take part",
    "youReplace": "; you now teach it, instead of {before}",
    "youJoin": "; you now teach it too",
    "youNow": "; you now teach it",
    "teacherNow": "; it is now taught by {after}",
    "nobody": "nobody",
    "urgent": "TODAY: ",
    "eventMoved": "{title}: the event {before} moves {after}",
    "eventCancelled": "{title}: the event {before} is cancelled",
    "eventAdded": "{title}: the event now also takes place {after}",
    "eventPeople": "{title}, {after}",
    # before one day, before several: `of` ..., `to` ..., `on` ...
    "of": ["of ", "of "], "to": ["to ", "to "], "on": ["on ", "on "],
    "and": " and ",
    "then": " — ",
    "eventKept": "still {days}",
    "eventTeachers": "teachers: {after} (instead of {before})",
    "eventGroups": "groups: {after} (instead of {before})",
    "eventPlace": "place: {after} (instead of {before})",
    "unsaid": "not given",
    "calendars": "Calendars subscribed to from the timetable update themselves.",
    "elide": False,
}

FR: dict[str, Any] = {
    "weekdays": ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
    "day": "{weekday} {date}",
    "subject": "Changement d'horaire : {programme}",
    "hello": "Bonjour,",
    "intro": ["L'horaire « {programme} » a été mis à jour le {today}. Ce changement vous "
              "concerne :",
              "L'horaire « {programme} » a été mis à jour le {today}. Ces changements vous "
              "concernent :"],
    # "la séance" and "l'événement" carry the agreement, whatever the title's gender
    "moved": "{title} : la séance du {before} est déplacée au {after}",
    "movedPlace": "{title} : la séance du {when} change de local : {place}",
    "stays": "{title} : la séance du {before}",
    "added": "{title} : nouvelle séance le {after}",
    "dropped": "{title} : la séance du {before} est supprimée",
    "taughtBy": " ; elle est donnée par {after} au lieu {before_of}",
    "teacherGone": " ; elle n'est plus donnée par {before}",
    "teacherJoins": " ; elle est aussi donnée par {after}",
    "youReplaced": " ; vous ne la donnez plus : elle est donnée par {after}",
    "youNobody": " ; vous ne la donnez plus : aucun enseignant n'est prévu",
    "nobodyNow": " ; elle n'est plus donnée par {before} : aucun enseignant n'est prévu",
    "eventYouGone": "vous n'y participez plus",
    "eventYouJoin": "vous y participez désormais",
    "youReplace": " ; vous la donnez désormais, au lieu {before_of}",
    "youJoin": " ; vous la donnez désormais aussi",
    "youNow": " ; vous la donnez désormais",
    "teacherNow": " ; elle est désormais donnée par {after}",
    "nobody": "personne",
    "urgent": "AUJOURD'HUI : ",
    "eventMoved": "{title} : l'événement {before} est déplacé {after}",
    "eventCancelled": "{title} : l'événement {before} est annulé",
    "eventAdded": "{title} : l'événement a lieu aussi {after}",
    "eventPeople": "{title}, {after}",
    "of": ["du ", "des "], "to": ["au ", "aux "], "on": ["le ", "les "],
    "and": " et ",
    "then": " — ",
    "eventKept": "maintenu {days}",
    "eventTeachers": "enseignants : {after} (au lieu {before_of})",
    "eventGroups": "groupes : {after} (au lieu {before_of})",
    "eventPlace": "lieu : {after} (précédemment : {before})",
    "unsaid": "non précisé",
    # `de` before a vowel: `au lieu d'Anne Lambert` (`{before_of}`)
    "elide": True,
    "calendars": "Les calendriers auxquels vous êtes abonné·e se mettent à jour d'eux-mêmes.",
}

NL: dict[str, Any] = {
    "weekdays": ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag",
                 "zondag"],
    "day": "{weekday} {date}",
    "subject": "Roosterwijziging: {programme}",
    "hello": "Hallo,",
    "intro": ["Het lesrooster van {programme} werd op {today} bijgewerkt. Deze wijziging "
              "betreft u:",
              "Het lesrooster van {programme} werd op {today} bijgewerkt. Deze wijzigingen "
              "betreffen u:"],
    "moved": "{title}: de les van {before} wordt verplaatst naar {after}",
    "movedPlace": "{title}: de les van {when} krijgt een ander lokaal: {place}",
    "stays": "{title}: de les van {before}",
    "added": "{title}: nieuwe les op {after}",
    "dropped": "{title}: de les van {before} vervalt",
    "taughtBy": "; ze wordt gegeven door {after} in plaats van {before}",
    "teacherGone": "; ze wordt niet langer gegeven door {before}",
    "teacherJoins": "; ze wordt ook gegeven door {after}",
    "youReplaced": "; u geeft ze niet meer: ze wordt gegeven door {after}",
    "youNobody": "; u geeft ze niet meer: er is geen docent gepland",
    "nobodyNow": "; ze wordt niet langer gegeven door {before}: er is geen docent gepland",
    "eventYouGone": "u neemt er niet meer aan deel",
    "eventYouJoin": "u neemt er voortaan aan deel",
    "youReplace": "; u geeft ze voortaan, in plaats van {before}",
    "youJoin": "; u geeft ze voortaan ook",
    "youNow": "; u geeft ze voortaan",
    "teacherNow": "; ze wordt voortaan gegeven door {after}",
    "nobody": "niemand",
    "urgent": "VANDAAG: ",
    "eventMoved": "{title}: de activiteit {before} wordt verplaatst {after}",
    "eventCancelled": "{title}: de activiteit {before} vervalt",
    "eventAdded": "{title}: de activiteit vindt ook plaats {after}",
    "eventPeople": "{title}, {after}",
    "of": ["van ", "van "], "to": ["naar ", "naar "], "on": ["op ", "op "],
    "and": " en ",
    "then": " — ",
    "eventKept": "blijft {days}",
    "eventTeachers": "docenten: {after} (in plaats van {before})",
    "eventGroups": "groepen: {after} (in plaats van {before})",
    "eventPlace": "locatie: {after} (voorheen {before})",
    "unsaid": "niet opgegeven",
    "calendars": "Geabonneerde agenda's werken zichzelf bij.",
    "elide": False,
}

DE: dict[str, Any] = {
    "weekdays": ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag",
                 "Sonntag"],
    "day": "{weekday}, {date}",
    "subject": "Stundenplanänderung: {programme}",
    "hello": "Guten Tag,",
    "intro": ["Der Stundenplan von {programme} wurde am {today} aktualisiert. Diese Änderung "
              "betrifft Sie:",
              "Der Stundenplan von {programme} wurde am {today} aktualisiert. Diese Änderungen "
              "betreffen Sie:"],
    "moved": "{title}: Die Sitzung vom {before} wird auf {after} verschoben",
    "movedPlace": "{title}: Die Sitzung vom {when} findet in einem anderen Raum statt: {place}",
    "stays": "{title}: Die Sitzung vom {before}",
    "added": "{title}: neue Sitzung am {after}",
    "dropped": "{title}: Die Sitzung vom {before} entfällt",
    "taughtBy": "; sie wird von {after} statt von {before} gehalten",
    "teacherGone": "; sie wird nicht mehr von {before} gehalten",
    "teacherJoins": "; sie wird auch von {after} gehalten",
    "youReplaced": "; Sie halten sie nicht mehr: sie wird von {after} gehalten",
    "youNobody": "; Sie halten sie nicht mehr: keine Lehrperson ist vorgesehen",
    "nobodyNow": "; sie wird nicht mehr von {before} gehalten: keine Lehrperson ist vorgesehen",
    "eventYouGone": "Sie nehmen nicht mehr daran teil",
    "eventYouJoin": "Sie nehmen jetzt daran teil",
    "youReplace": "; Sie halten sie jetzt anstelle von {before}",
    "youJoin": "; Sie halten sie jetzt auch",
    "youNow": "; Sie halten sie jetzt",
    "teacherNow": "; sie wird jetzt von {after} gehalten",
    "nobody": "niemand",
    "urgent": "HEUTE: ",
    "eventMoved": "{title}: Die Veranstaltung {before} wird {after} verschoben",
    "eventCancelled": "{title}: Die Veranstaltung {before} entfällt",
    "eventAdded": "{title}: Die Veranstaltung findet auch {after} statt",
    "eventPeople": "{title}, {after}",
    "of": ["vom ", "vom "], "to": ["auf ", "auf "], "on": ["am ", "am "],
    "and": " und ",
    "then": " — ",
    "eventKept": "bleibt {days}",
    "eventTeachers": "Lehrende: {after} (statt {before})",
    "eventGroups": "Gruppen: {after} (statt {before})",
    "eventPlace": "Ort: {after} (statt {before})",
    "unsaid": "nicht angegeben",
    "calendars": "Abonnierte Kalender aktualisieren sich von selbst.",
    "elide": False,
}
# fmt: on

SENTENCES: dict[str, dict[str, Any]] = {"en": EN, "fr": FR, "nl": NL, "de": DE}


def sentences_for(language: str | None) -> dict[str, Any]:
    """The sentences of an instance's `language` (`fr-BE` -> French), English for none or one
    without sentences here (as `export.wording.words_for`).

    >>> sentences_for("fr-BE")["hello"], sentences_for("it")["hello"]
    ('Bonjour,', 'Hello,')
    """
    return SENTENCES.get(primary_language(language), EN)
