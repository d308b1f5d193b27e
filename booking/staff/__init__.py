"""The staff side in the Wagtail admin ("Appointments" menu, `menu`), one module per
concern: `bookings`, `availability` (a counsellor's own hours, absences and sessions),
`offer` (managers: counsellors, formats, places, closures), `personal_data`,
`calendar_feed`, `external_agenda`; `base`, `forms` and `permissions` under them.
"""
