"""No text message at night: between 20:00 and 08:00 in the structure's time zone
(SMS_QUIET_HOURS), a message waits for the morning (a reminder due at 6:30 for an 8:30
meeting goes at 8:00). Transactional routes would deliver at any hour; we do not."""

from datetime import datetime, timedelta

from django.conf import settings


def is_quiet(moment, zone):
    if not settings.SMS_QUIET_HOURS:
        return False
    start, end = settings.SMS_QUIET_HOURS
    local = moment.astimezone(zone).time()
    return local >= start or local < end


def next_sending_time(moment, zone):
    """`moment` itself outside quiet hours, else the next end of them, local (an aware
    datetime: 08:00 exists every day, DST changes happen at night)."""
    if not is_quiet(moment, zone):
        return moment
    end = settings.SMS_QUIET_HOURS[1]
    local = moment.astimezone(zone)
    day = local.date() if local.time() < end else local.date() + timedelta(days=1)
    return datetime.combine(day, end, tzinfo=zone)
