"""The young person's side: the booking journey, manage links, the privacy notice.

- `journey`: the five-step state machine (choices in GET parameters);
- `listing`: a week of free slots and the key each slot is sent back with;
- `forms`: what the person types; `views`, `urls` (limits: `booking.services.limits`).
"""
