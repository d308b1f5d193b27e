"""How long reading hostile and large agenda files takes, and how much memory: prints
figures, asserts nothing.

    .venv/bin/python bench/agenda_expansion.py              # the code in this tree
    .venv/bin/python bench/agenda_expansion.py --rev 3d9cd69  # agenda_import.py at a commit

Each file is read by `busy_intervals` over the production window (a day ago to 400 days
ahead, or --days) in its own process, so the peak resident memory is that one file's; a process
still running after --seconds, or stopped at --memory MB of address space, is reported
as such rather than waited for (the 602-byte rule once ran 150 s and took 3.8 GB).
The ceilings and the time budget are the settings' defaults.
"""

import argparse
import importlib.util
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULE = "booking/calendars/agenda_import.py"
START = datetime(2026, 3, 16, tzinfo=UTC)
EVERY = ",".join(str(number) for number in range(60))
HOURS = ",".join(str(number) for number in range(24))


def calendar_file(events):
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Bench//EN", *events, "END:VCALENDAR"]
    return "\r\n".join(lines)


def event(uid, *properties):
    return "\r\n".join(
        ["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20260301T000000Z", *properties, "END:VEVENT"]
    )


def cases():
    """name → agenda file."""
    every_second = f"RRULE:FREQ=DAILY;BYHOUR={HOURS};BYMINUTE={EVERY};BYSECOND={EVERY}"
    single = [
        event(
            f"single-{number}",
            f"DTSTART:{(START + timedelta(hours=7 * number)).strftime('%Y%m%dT%H%M%SZ')}",
            "DURATION:PT1H",
        )
        for number in range(3000)
    ]
    weekly = [
        event(f"weekly-{number}", f"DTSTART:202603{16 + number % 5}T0{8 + number % 2}0000Z",
              "DURATION:PT1H", "RRULE:FREQ=WEEKLY")
        for number in range(50)
    ]  # fmt: skip
    return {
        "602-byte rule, every second of every day": calendar_file(
            [event("hostile", "DTSTART:20260315T000000Z", "DURATION:PT1S", every_second)]
        ),
        "100 hourly events, 30 min, no end": calendar_file(
            [
                event(
                    f"hourly-{number}",
                    f"DTSTART:20260315T{number % 24:02}0000Z",
                    "DURATION:PT30M",
                    "RRULE:FREQ=HOURLY",
                )
                for number in range(100)
            ]  # fmt: skip
        ),
        "1 hourly event, a date with no DTEND": calendar_file(
            [event("hourly", "DTSTART;VALUE=DATE:20260315", "RRULE:FREQ=HOURLY")]
        ),
        "ordinary: 3,000 events + 50 weekly series": calendar_file(single + weekly),
    }


def child(rev_file, body_file, days):
    """Runs in the measured process: reads one file, prints the figures as JSON."""
    sys.path.insert(0, str(ROOT / "bench"))
    import throwaway  # noqa: F401  (sets Django up)

    if rev_file:
        spec = importlib.util.spec_from_file_location("booking.calendars._measured", rev_file)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    else:
        from booking.calendars import agenda_import as module
    body = Path(body_file).read_bytes()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    try:
        result = module.busy_intervals(
            body, start=START - timedelta(days=1), end=START + timedelta(days=int(days))
        )
        outcome = f"{len(getattr(result, 'intervals', result))} busy times"
        if hasattr(result, "skipped"):
            outcome += f", {result.skipped} left out"
    except module.AgendaError as error:
        outcome = f"refused: {error.text()[:60]}…"
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": seconds, "peak_mb": peak / 1024, "grown_mb": (peak - before) / 1024, "outcome": outcome}))  # fmt: skip  # noqa: E501, T201


def measure(name, body, rev_file, limits):
    with tempfile.NamedTemporaryFile("w", suffix=".ics", delete=False) as handle:
        handle.write(body)
    size = len(body.encode())

    def limit_memory():
        cap = limits.memory * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    command = [sys.executable, __file__, "--child", rev_file or "", handle.name, str(limits.days)]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=limits.seconds,
            preexec_fn=limit_memory,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return f"{name:45} {size:>9,} B  > {limits.seconds} s (stopped)"
    finally:
        Path(handle.name).unlink()
    if done.returncode:
        last = (done.stderr.strip().splitlines() or ["?"])[-1]
        return f"{name:45} {size:>9,} B  failed: {last[:70]}"
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    return (
        f"{name:45} {size:>9,} B  {figures['seconds']:7.2f} s  peak {figures['peak_mb']:6.0f} MB"
        f" (+{figures['grown_mb']:.0f})  {figures['outcome']}"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rev", help="measure agenda_import.py as it was at this commit")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--memory", type=int, default=2048, help="MB of address space")
    parser.add_argument("--days", type=int, default=400, help="length of the window read")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child(*options.child)
        return
    rev_file = ""
    if options.rev:
        source = subprocess.run(
            ["git", "show", f"{options.rev}:{MODULE}"], cwd=ROOT, capture_output=True,
            text=True, check=True,
        ).stdout  # fmt: skip
        rev_file = tempfile.mkstemp(suffix=".py", prefix="agenda_import-")[1]
        Path(rev_file).write_text(source)
    try:
        version = options.rev or "the work tree"
        sys.stdout.write(f"agenda_import.py at {version}, {options.days} days read\n")
        for name, body in cases().items():
            sys.stdout.write(measure(name, body, rev_file, options) + "\n")
            sys.stdout.flush()
    finally:
        if rev_file:
            Path(rev_file).unlink()


if __name__ == "__main__":
    main()
