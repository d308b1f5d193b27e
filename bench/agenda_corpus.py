"""How many of the calendars in icalendar's and recurring-ical-events' own test suites
(installed with them in .venv) our reader loses whole: prints figures, asserts nothing.

    .venv/bin/python bench/agenda_corpus.py              # the code in this tree
    .venv/bin/python bench/agenda_corpus.py --rev 3d9cd69  # agenda_import.py at a commit

Those files are what agenda apps really write, broken ones included. Each is read by
`busy_intervals` over 2019 (where most of their events are); "lost" means an error
other than AgendaError, which the refresh turns into "the agenda could not be read".
"""

import argparse
import importlib.util
import subprocess
import tempfile
import time
import warnings
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import throwaway  # sets Django up: before anything that needs it

# isort: split

import icalendar
import recurring_ical_events

WINDOW = {"start": datetime(2019, 1, 1, tzinfo=UTC), "end": datetime(2020, 2, 1, tzinfo=UTC)}


def corpus():
    for package in (icalendar, recurring_ical_events):
        yield from sorted(Path(package.__file__).parent.rglob("*.ics"))


def agenda_import(rev):
    if not rev:
        from booking.calendars import agenda_import as module

        return module
    source = subprocess.run(
        ["git", "show", f"{rev}:booking/calendars/agenda_import.py"],
        cwd=throwaway.ROOT, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    with tempfile.NamedTemporaryFile("w", suffix=".py") as handle:
        handle.write(source)
        handle.flush()
        spec = importlib.util.spec_from_file_location("booking.calendars._measured", handle.name)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return module


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rev", help="measure agenda_import.py as it was at this commit")
    options = parser.parse_args()
    module = agenda_import(options.rev)
    warnings.simplefilter("ignore")  # icalendar's guesses about odd TZIDs
    outcomes, lost, started = Counter(), Counter(), time.perf_counter()
    for path in corpus():
        try:
            reading = module.busy_intervals(path.read_bytes(), **WINDOW)
        except module.AgendaError:
            outcomes["refused with a message"] += 1
        except Exception as error:
            outcomes["lost whole"] += 1
            lost[type(error).__name__] += 1
        else:
            outcomes["read"] += 1
            if getattr(reading, "skipped", 0):
                outcomes["read, with events left out"] += 1
    throwaway.report(f"agenda_import.py at {options.rev or 'the work tree'}")
    files = outcomes["read"] + outcomes["refused with a message"] + outcomes["lost whole"]
    throwaway.report(f"{files} files, {time.perf_counter() - started:.1f} s")
    for outcome, count in sorted(outcomes.items()):
        throwaway.report(f"  {outcome}: {count}")
    for error, count in lost.most_common():
        throwaway.report(f"    {error}: {count}")


if __name__ == "__main__":
    throwaway.run(main)
