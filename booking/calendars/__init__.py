"""Calendars both ways: appointment files (`ics`), the counsellor's feed (`feed`) and
the import of busy times from the counsellor's own agenda (`agenda_import`)."""
