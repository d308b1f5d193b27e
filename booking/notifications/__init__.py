"""Messages to young people about their bookings, reached only through the
`booking_changed` signal (connected in `BookingConfig.ready`) and the cron commands:

- `outbox`: what to send and when (a Notification row per message, reminders, retries);
- `delivery`: building and sending one message (a django-tasks task).
"""
