"""Policy engine benchmark: time one `engine.classify` and measure memory over many evaluations.

Run with `.venv/bin/python bench/policy_engine.py [--calls N] [--memory-calls N]`.
Uses the test settings and touches no database. Prints the machine, the date and
a Markdown table, then one line per target (`PASS|MISSED <name> <measured> <target>`,
bench/targets.py), and exits 1 when one is missed: a median of at most 100 µs per
decision (each kind of fact), less than 20 MB of growth over 100,000 evaluations,
and the activation check passing.
"""

import argparse
import gc
import importlib.metadata
import os
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.test"
sys.path.insert(0, str(BASE_DIR))

import django  # noqa: E402
from machine import describe  # noqa: E402 - bench/ is on sys.path when run
from targets import Targets  # noqa: E402

# Importable without django.setup(), which main() runs: the activation check's spawned
# child imports this module again and needs none of it.
from policy_rules import engine  # noqa: E402
from policy_rules.document import default_document  # noqa: E402
from policy_rules.facts import fact_from  # noqa: E402
from policy_rules.trial_load import builtin_cases, check_in_child  # noqa: E402

WARM_UP = 2_000
DECISION_US = 100  # issue #3: a median of at most 100 µs per decision
GROWTH_MB = 20  # issue #3: less than 20 MB over 100,000 evaluations


def machine():
    return describe(**{"durable-rules": importlib.metadata.version("durable-rules")})


def rss_mb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def slot_facts():
    """Slots inside and outside the windows, short of lead time, breaking, on a weekend with a category."""
    shapes = [
        {"day_type": "working", "minute_of_day": 960, "lead_hours": 3},
        {"day_type": "working", "minute_of_day": 1080, "lead_hours": 24},
        {"day_type": "working", "minute_of_day": 180, "breaking": True, "lead_hours": 1},
        {"day_type": "rest", "minute_of_day": 600, "category": "news"},
        {"day_type": "holiday", "minute_of_day": 1230, "category": "light", "lead_hours": 12},
    ]
    return [fact_from("slot", {"weekday": 3, **shape}) for shape in shapes]


def error_facts():
    return [fact_from("department_errors", {"errors": errors}) for errors in range(11)]


def timed(call, facts, calls):
    for i in range(WARM_UP):
        call(facts[i % len(facts)])
    samples = []
    for i in range(calls):
        fact = facts[i % len(facts)]
        started = time.perf_counter_ns()
        call(fact)
        samples.append((time.perf_counter_ns() - started) / 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95)]


def plain_errors(doc):
    """The discipline decision in plain Python, for scale."""
    warning_at, escalation_at = doc.discipline.warning_at, doc.discipline.escalation_at

    def decide(fact):
        if fact.errors >= escalation_at:
            return frozenset({"discipline:escalation"})
        return frozenset({"discipline:warning"}) if fact.errors >= warning_at else frozenset()

    return decide


def memory_growth(doc, facts, calls):
    for i in range(WARM_UP * 5):
        engine.classify(doc, facts[i % len(facts)])
    gc.collect()
    before = rss_mb()
    for i in range(calls):
        engine.classify(doc, facts[i % len(facts)])
    gc.collect()
    return before, rss_mb()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=20_000, help="timed calls per fact kind")
    parser.add_argument("--memory-calls", type=int, default=100_000, help="evaluations between the RSS readings")
    args = parser.parse_args()
    django.setup()  # the engine no longer needs it (its ruleset name is policy_rules.document.document_hash)

    doc = default_document()
    engine.load(doc)
    slots, errors = slot_facts(), error_facts()
    rows = [
        ("`classify`, slot facts (5 shapes)", *timed(lambda fact: engine.classify(doc, fact), slots, args.calls)),
        ("`classify`, department errors (0–10)", *timed(lambda fact: engine.classify(doc, fact), errors, args.calls)),
        ("plain Python, department errors", *timed(plain_errors(doc), errors, args.calls)),
    ]
    before, after = memory_growth(doc, slots + errors, args.memory_calls)
    cases = builtin_cases(doc)
    started = time.perf_counter()
    report = check_in_child(doc.as_data(), cases)
    checked_in = time.perf_counter() - started

    print("## Machine\n")
    for key, value in machine().items():
        print(f"- {key}: {value}")
    print(f"\n## One decision ({args.calls:,} timed calls each, after {WARM_UP:,} warm-up calls)\n")
    print("| decision | median (µs) | p95 (µs) |\n| --- | ---: | ---: |")
    for label, median, p95 in rows:
        print(f"| {label} | {median:.1f} | {p95:.1f} |")
    print(f"\n## Memory ({args.memory_calls:,} evaluations, slot and error facts mixed)\n")
    print("| RSS before (MB) | RSS after (MB) | growth (MB) |\n| ---: | ---: | ---: |")
    print(f"| {before:.1f} | {after:.1f} | {after - before:+.1f} |")
    print(
        f"\n## Activation check\n\n`check_in_child` with {len(cases)} built-in cases (a spawned process): "
        f"{checked_in:.2f} s, {'passed' if report.ok else 'FAILED: ' + report.message}"
    )
    targets = Targets()
    for name, (_label, median, _p95) in zip(("slot", "errors"), rows, strict=False):
        targets.at_most(f"engine.classify_{name}.median", median, DECISION_US, unit="us", digits=1)
    targets.at_most("engine.memory_growth", after - before, GROWTH_MB, unit="MB", digits=1)
    targets.equal("engine.activation_check", "passed" if report.ok else "failed", "passed")
    return targets.report()


if __name__ == "__main__":
    sys.exit(main())
