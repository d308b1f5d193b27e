// Parse an iCalendar file from stdin with Mozilla's ical.js (Thunderbird's parser) and
// print what a calendar client would see, as JSON: tests compare it with our intent.
//
// Usage: node icaljs_dump.mjs [expand-until-ISO-date] < file.ics
import ICAL from "ical.js";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const text = Buffer.concat(chunks).toString("utf8");
const until = process.argv[2] ? ICAL.Time.fromJSDate(new Date(process.argv[2]), true) : null;

const calendar = new ICAL.Component(ICAL.parse(text));
const timezones = calendar.getAllSubcomponents("vtimezone").map((vtimezone) => {
  const zone = new ICAL.Timezone(vtimezone);
  ICAL.TimezoneService.register(zone, zone.tzid);
  return zone.tzid;
});

const iso = (time) => (time ? time.toJSDate().toISOString() : null);
const asText = (value) => (value === null || value === undefined ? null : value.toString());
const events = calendar.getAllSubcomponents("vevent").map((vevent) => {
  const event = new ICAL.Event(vevent);
  const start = vevent.getFirstProperty("dtstart");
  const result = {
    uid: event.uid,
    sequence: event.sequence,
    summary: event.summary,
    location: event.location,
    description: event.description,
    status: vevent.getFirstPropertyValue("status"),
    start: iso(event.startDate),
    end: iso(event.endDate),
    start_tzid: start ? start.getParameter("tzid") || null : null,
    start_is_date: event.startDate ? event.startDate.isDate : null,
    start_zone: event.startDate ? event.startDate.zone.tzid : null,
    recurrence_id: event.recurrenceId ? iso(event.recurrenceId) : null,
    is_recurring: event.isRecurring(),
    occurrences: [],
    url: asText(vevent.getFirstPropertyValue("url")),
    organizer: asText(vevent.getFirstPropertyValue("organizer")),
    attendees: vevent.getAllProperties("attendee").map((attendee) => asText(attendee.getFirstValue())),
    transp: asText(vevent.getFirstPropertyValue("transp")),
    dtstamp: iso(vevent.getFirstPropertyValue("dtstamp")),
    last_modified: iso(vevent.getFirstPropertyValue("last-modified")),
    alarms: vevent.getAllSubcomponents("valarm").map((valarm) => ({
      action: asText(valarm.getFirstPropertyValue("action")),
      trigger: asText(valarm.getFirstPropertyValue("trigger")),
      description: asText(valarm.getFirstPropertyValue("description")),
    })),
  };
  if (until && event.isRecurring()) {
    const iterator = event.iterator();
    for (let next = iterator.next(); next && next.compare(until) < 0; next = iterator.next()) {
      result.occurrences.push(iso(next));
      if (result.occurrences.length > 1000) break;
    }
  }
  return result;
});

process.stdout.write(
  JSON.stringify({
    method: calendar.getFirstPropertyValue("method"),
    prodid: calendar.getFirstPropertyValue("prodid"),
    version: calendar.getFirstPropertyValue("version"),
    calname: calendar.getFirstPropertyValue("x-wr-calname"),
    name: asText(calendar.getFirstPropertyValue("name")),
    refresh_interval: asText(calendar.getFirstPropertyValue("refresh-interval")),
    refresh_interval_type: calendar.getFirstProperty("refresh-interval")?.type ?? null,
    published_ttl: asText(calendar.getFirstPropertyValue("x-published-ttl")),
    timezones,
    events,
  }),
);
