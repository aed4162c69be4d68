"""`make bench`: every benchmark in turn, their tables as they print, then every target line together.

Each script prints Markdown tables and ends with lines `PASS|MISSED <name> <measured> <target>`
(bench/targets.py). This runs them one after another (never two at once: they would share the cores), repeats
those lines at the end, and exits 1 when one says MISSED or a script failed without saying (then a line
`MISSED bench.<script> exit-<status> exit-0`). The semester on PostgreSQL runs when a server answers on
127.0.0.1:5432 (database BENCH_PG_URL, whose name must contain "bench"), and bench/dashboard.py when it exists.
`--five-times` is passed to the semester on SQLite unless BENCH_FIVE_TIMES=0.
"""

import os
import socket
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/newsroom_bench")


def postgres_answers(host="127.0.0.1", port=5432):
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def scripts():
    """(label, arguments) of each run, in order."""
    five = [] if os.environ.get("BENCH_FIVE_TIMES") == "0" else ["--five-times"]
    runs = [
        ("render_pages", ["render_pages.py"]),
        ("policy_engine", ["policy_engine.py"]),
        ("policy_semester", ["policy_semester.py", *five]),
    ]
    if postgres_answers():
        runs.append(("policy_semester_postgresql", ["policy_semester.py", "--database-url", PG_URL]))
    else:
        print("PostgreSQL does not answer on 127.0.0.1:5432: the semester is measured on SQLite only.")
    if (BENCH / "dashboard.py").exists():
        runs.append(("dashboard", ["dashboard.py"]))
    runs.append(("wechat_push", ["wechat_push.py"]))
    return runs


def run(label, arguments):
    """The script's target lines, its output streamed as it comes."""
    print(f"\n# bench/{arguments[0]} {' '.join(arguments[1:])}\n", flush=True)
    process = subprocess.Popen(  # noqa: S603 - our own scripts, with this interpreter
        [sys.executable, str(BENCH / arguments[0]), *arguments[1:]],
        stdout=subprocess.PIPE,
        text=True,
        bufsize=1,
    )
    lines = []
    for line in process.stdout:
        print(line, end="", flush=True)
        if line.startswith(("PASS ", "MISSED ")):
            lines.append(line.rstrip("\n"))
    status = process.wait()
    if status and not any(line.startswith("MISSED ") for line in lines):
        lines.append(f"MISSED bench.{label} exit-{status} exit-0")
    return lines


def main():
    lines = []
    for label, arguments in scripts():
        lines += run(label, arguments)
    print("\n# Targets of every benchmark\n")
    for line in lines:
        print(line)
    return 1 if any(line.startswith("MISSED ") for line in lines) else 0


if __name__ == "__main__":
    sys.exit(main())
