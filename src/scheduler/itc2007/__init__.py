"""ITC-2007 track 3 (curriculum-based course timetabling, CB-CTT): files and official scoring.

* ``read_ctt``/``parse_ctt`` load an instance (``CttInstance``), raising ``CttFormatError``.
* ``read_solution``/``parse_solution``, ``format_solution``, ``write_solution`` handle the
  solution format (one ``Lecture`` per line).
* ``evaluate`` scores a solution like the official UD2 validator; ``format_report`` prints
  the validator's report.
"""

from scheduler.itc2007.ctt import (
    Course,
    CttFormatError,
    CttInstance,
    Curriculum,
    Room,
    parse_ctt,
    read_ctt,
)
from scheduler.itc2007.score import (
    CURRICULUM_COMPACTNESS_COST,
    MIN_WORKING_DAYS_COST,
    ROOM_STABILITY_COST,
    Score,
    evaluate,
    format_report,
)
from scheduler.itc2007.solution_format import (
    Lecture,
    SolutionFormatError,
    format_solution,
    parse_solution,
    read_solution,
    write_solution,
)

__all__ = [
    "CURRICULUM_COMPACTNESS_COST",
    "MIN_WORKING_DAYS_COST",
    "ROOM_STABILITY_COST",
    "Course",
    "CttFormatError",
    "CttInstance",
    "Curriculum",
    "Lecture",
    "Room",
    "Score",
    "SolutionFormatError",
    "evaluate",
    "format_report",
    "format_solution",
    "parse_ctt",
    "parse_solution",
    "read_ctt",
    "read_solution",
    "write_solution",
]
