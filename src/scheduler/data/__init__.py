"""Instance data: pydantic models, calendar expansion and derived indexes (no solver imports)."""

from scheduler.data.calendar import ClosedSlot, DatedSlot
from scheduler.data.instance import Instance
from scheduler.data.problem import EventOccurrence, Problem
from scheduler.data.sessions import Session

__all__ = ["ClosedSlot", "DatedSlot", "EventOccurrence", "Instance", "Problem", "Session"]
