// Read the VTIMEZONEs of an iCalendar file from stdin with Mozilla's ical.js and print,
// as JSON, the UTC offset (seconds) it gives each local wall-clock hour from 1 January
// FIRST-YEAR 00:00 to 31 December LAST-YEAR 23:00, per TZID, as runs: [[hour, offset]]
// each time the offset changes (hours counted from the first one). Each day is read at
// noon, and hour by hour only when its offset differs from the day before: no zone
// changes twice within 24 hours.
//
// Usage: node icaljs_offsets.mjs FIRST-YEAR LAST-YEAR < file.ics
import ICAL from "ical.js";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const calendar = new ICAL.Component(ICAL.parse(Buffer.concat(chunks).toString("utf8")));
const [first, last] = process.argv.slice(2, 4).map(Number);
const start = Date.UTC(first, 0, 1);
const hours = (Date.UTC(last + 1, 0, 1) - start) / 3600000;

function offsetAt(zone, hour) {
  const wall = new Date(start + hour * 3600000);
  return zone.utcOffset(
    new ICAL.Time({
      year: wall.getUTCFullYear(),
      month: wall.getUTCMonth() + 1,
      day: wall.getUTCDate(),
      hour: wall.getUTCHours(),
    }),
  );
}

const runs = {};
for (const vtimezone of calendar.getAllSubcomponents("vtimezone")) {
  const zone = new ICAL.Timezone(vtimezone);
  const changes = [[0, offsetAt(zone, 0)]];
  let previous = changes[0][1];
  for (let noon = 12; noon < hours + 24; noon += 24) {
    const end = Math.min(noon, hours - 1);
    if (offsetAt(zone, end) === previous) continue;
    for (let hour = Math.max(noon - 23, 0); hour <= end; hour++) {
      const offset = offsetAt(zone, hour);
      if (offset !== previous) changes.push([hour, offset]);
      previous = offset;
    }
  }
  runs[zone.tzid] = changes;
}
process.stdout.write(JSON.stringify(runs));
