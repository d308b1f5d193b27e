// Parse an iCalendar file from stdin with node-ical (the parser of many Node.js and
// home-automation calendars) and print, as JSON, the start of every instance it shows
// up to a date: each VEVENT's own start, or its RRULE's days with moved days applied.
//
// Usage: node nodeical_dump.mjs FROM-ISO TO-ISO < file.ics
import ical from "node-ical";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const parsed = ical.sync.parseICS(Buffer.concat(chunks).toString("utf8"));
const from = new Date(process.argv[2]);
const to = new Date(process.argv[3]);

const starts = [];
for (const event of Object.values(parsed)) {
  if (event.type !== "VEVENT" || event.recurrenceid) continue;
  for (const instance of ical.expandRecurringEvent(event, { from, to })) {
    starts.push(new Date(instance.start).toISOString());
  }
}
starts.sort();
process.stdout.write(JSON.stringify({ starts }));
