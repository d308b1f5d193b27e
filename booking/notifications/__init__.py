"""Messages to young people and their counsellors about bookings, reached only through
the `booking_changed` signal (connected in `BookingConfig.ready`) and the cron commands:

- `outbox`: what to send and when (a Notification row per message, reminders, retries);
- `delivery`: building and sending one message (a django-tasks task);
- `counsellors`: which counsellors are told, as each chose, and their morning digest;
  `counsellor_emails`: what those e-mails say (no more than the calendar feed).
"""
