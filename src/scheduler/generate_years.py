"""The academic years `scheduler generate` can draw: those whose Belgian public and French
Community school holidays the `holidays` package gives whole (school holidays from 2010; no
year after 2100, so 2099-2100 is the last academic year)."""

FIRST_YEAR = 2010
LAST_YEAR = 2099
