"""`make bench`: build a scaled demo world on PostgreSQL, serve it with gunicorn as production
would, and measure the site's pages beside a minimal Django view served the same way.

Writes bench/results.md, the one place its figures live. Everything runs on
loopback; the database named by BENCH_DATABASE_URL is dropped and made anew.
"""

import argparse
import datetime
import json
import os
import platform
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import psycopg

from . import targets
from .load import Client, Measurement, measure, sign_in
from .pages import ANONYMOUS, PAGES, Page

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.md"
HOST = "127.0.0.1"
WORKERS = 2
# Threaded workers keep connections alive, as a production server behind a proxy would; sync
# workers close every connection, so the bench would mostly measure TCP set-up.
THREADS = 2


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--scale", type=int, default=int(os.environ.get("BENCH_SCALE", 50)))
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("BENCH_SECONDS", 8)))
    parser.add_argument(
        "--concurrency", type=int, default=int(os.environ.get("BENCH_CONCURRENCY", 4))
    )
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", 4)))
    parser.add_argument(
        "--reuse-db",
        action="store_true",
        help="Keep the database from the last run: skip drop, migrate and load_demo.",
    )
    parser.add_argument(
        "--no-write", action="store_true", help="Print the table only; leave the files alone."
    )
    parser.add_argument(
        "--reminder-actions",
        type=int,
        default=int(os.environ.get("BENCH_REMINDER_ACTIONS", 100_000)),
        help="Time the daily action reminder job over this many open actions (0: skip).",
    )
    parser.add_argument(
        "--import-findings",
        type=int,
        default=int(os.environ.get("BENCH_IMPORT_FINDINGS", 50_000)),
        help="Time an import of this many fictional findings through the import pipeline "
        "(0: skip).",
    )
    parser.add_argument(
        "--import-only",
        action="store_true",
        help="Time only the findings import (on a fresh database unless --reuse-db) and "
        "rewrite only its line in the results files.",
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="SUBSTRING",
        help=(
            "Time only the pages whose name or path contains SUBSTRING (any case); repeatable. "
            "The minimal view is always timed, as the ceiling the others are read against; "
            "the results files are left alone."
        ),
    )
    args = parser.parse_args(argv)
    pages = select_pages(PAGES, args.only)
    if not pages:
        parser.error(f"no page's name or path contains any of {args.only}")
    # A plain `kill` of the bench must still reach the finally that stops gunicorn.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    database_url = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/hub_bench"
    )
    password = secrets.token_urlsafe(16)
    env = _server_environment(database_url, password)

    if args.import_only:
        return _import_only(env, database_url, args)

    load_seconds = None
    if not args.reuse_db:
        _recreate_database(database_url)
        _manage(env, "migrate", "--no-input", quiet=True)
        started = time.monotonic()
        _manage(env, "load_demo", "--scale", str(args.scale))
        load_seconds = time.monotonic() - started
    else:
        # The people the pages sign in as need this run's password, and no authenticator from
        # an earlier run: the bench sets one up at sign-in, as a first sign-in does.
        people = sorted({page.who for page in pages if page.who != ANONYMOUS})
        _manage(
            env,
            "shell",
            "-c",
            "from django.contrib.auth import get_user_model\n"
            "from django_otp import devices_for_user\n"
            f"for user in get_user_model().objects.filter(username__in={people!r}):\n"
            f"    user.set_password({password!r}); user.save(update_fields=['password'])\n"
            "    for device in devices_for_user(user, confirmed=None): device.delete()",
            quiet=True,
        )
    _vacuum(database_url)
    _manage(env, "collectstatic", "--no-input", "--clear", quiet=True)
    # Pages cached by an earlier run may come from an earlier database.
    _manage(env, "shell", "-c", "from django.core.cache import cache; cache.clear()", quiet=True)
    records = _count_records(database_url)

    port = _free_port()
    # As in production, tasks (notices, search indexing) go to a Celery worker over a broker:
    # run eagerly, a booking's notice email and its queries would be timed as the booking's.
    serving = {**env, "CELERY_BROKER_URL": BROKER_URL}
    _clear_broker(BROKER_URL)
    worker = _start_celery_worker(serving)
    server = _start_gunicorn(serving, port)
    try:
        _wait_until_serving(port, server)
        load_before = os.getloadavg()[0]
        results = _measure_all(port, password, args, pages)
        load_after = os.getloadavg()[0]
        memory = targets.worker_rss_mb(server.pid)
    finally:
        _stop(server)
        _stop(worker)
    reminders = _time_reminders(env, args.reminder_actions) if args.reminder_actions else None
    imported = _time_import(env, args.import_findings) if args.import_findings else None

    table = _table(results)
    print()
    print(table)
    print(f"\nWorker memory: {targets.memory_line(memory)}")
    # A partial table must not replace the full one in results.md.
    if not args.no_write and not args.only:
        facts = _facts(args, load_seconds, records, (load_before, load_after))
        facts["worker memory"] = targets.memory_line(memory)
        if reminders:
            facts["reminder job"] = _reminder_line(reminders)
        if imported:
            facts[IMPORT_FACT] = _import_line(imported)
        elif RESULTS.exists():
            # Not timed this run: keep the last run's line, which carries its own date.
            prefix = f"- {IMPORT_FACT}: "
            for line in RESULTS.read_text().splitlines():
                if line.startswith(prefix):
                    facts[IMPORT_FACT] = line.removeprefix(prefix)
        RESULTS.write_text(_results_markdown(facts, table))
        print(f"\nWrote {RESULTS.relative_to(ROOT)}.")
    return 0


# Its own Redis database, emptied at the start of each run.
BROKER_URL = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/7")


def _server_environment(database_url: str, password: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=database_url,
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        HUB_BENCH="1",
        HUB_DEMO_PASSWORD=password,
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        SECURE_HSTS_SECONDS="0",
        ALLOWED_HOSTS=HOST,
        CACHE_URL=os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/4"),
        HUB_VAR_DIR=str(ROOT / "var" / "bench"),
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    return env


def _recreate_database(database_url: str) -> None:
    url = urllib.parse.urlsplit(database_url)
    name = url.path.lstrip("/")
    if not re.fullmatch(r"[A-Za-z0-9_]+", name):
        raise SystemExit(f"refusing an unusual database name: {name!r}")
    maintenance = urllib.parse.urlunsplit(url._replace(path="/postgres"))
    print(f"Recreating database {name}...")
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _vacuum(database_url: str) -> None:
    """What autovacuum would do in production soon after a bulk load (this machine's PostgreSQL
    runs without it): planner statistics for the fresh tables, and the dead rows of the search
    index generation the demo's rebuild replaced cleared away. Without it the planner guesses at
    row counts and searches wade through dead rows: plans and costs production never sees."""
    print("VACUUM ANALYZE...")
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def _manage(env, *args, quiet=False) -> None:
    print(f"manage.py {' '.join(args[:2])}...")
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL if quiet else None,
    )


def _run_in_shell(env, module: str, function: str, argument: int) -> dict:
    """`module.function(argument)` in a `manage.py shell` process of its own (so that its peak
    memory is its own), returning the JSON result it prints."""
    script = (
        f"import json; from {module} import {function}; "
        f"print('BENCH-RESULT ' + json.dumps({function}({argument!r})))"
    )
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    line = next(x for x in done.stdout.splitlines() if x.startswith("BENCH-RESULT "))
    return json.loads(line.removeprefix("BENCH-RESULT "))


def _time_reminders(env, actions: int) -> dict:
    """The daily reminder job over `actions` open actions, in its own process after the pages."""
    print(f"Timing the action reminder job over {actions:,} actions...", flush=True)
    result = _run_in_shell(env, "learning.bench", "bench_send_action_reminders", actions)
    print(f"  {_reminder_line(result)}")
    return result


def _reminder_line(r: dict) -> str:
    return (
        f"{r['actions']:,} open actions: first run {r['first_seconds']:.1f} s "
        f"({r['first_counts']}, {r['first_queries']:,} queries), second run "
        f"{r['second_seconds']:.1f} s ({r['second_counts']}, {r['second_queries']} queries), "
        f"peak memory {r['max_rss_mb']} MB: "
        f"{targets.reminder_verdict(r['first_seconds'], r['max_rss_mb'])}"
    )


IMPORT_FACT = "findings import"
IMPORT_TARGET_SECONDS = 60


def _time_import(env, rows: int) -> dict:
    """A CSV of `rows` fictional findings through `import_findings`, the pipeline an admin
    upload's task runs, in its own process so that its peak memory is its own."""
    print(f"Timing an import of {rows:,} findings...", flush=True)
    result = _run_in_shell(env, "reviews.bench", "bench_import_findings", rows)
    print(f"  {_import_line(result)}")
    return result


def _import_line(r: dict) -> str:
    committed = r["saved_seconds"]
    verdict = "met" if committed is not None and committed < IMPORT_TARGET_SECONDS else "NOT MET"
    return (
        f"{r['rows']:,} findings ({r['file_mb']} MB CSV, {r['database']}): every row checked at "
        f"{r['checked_seconds']} s, written and committed at {committed} s "
        f"({verdict}: < {IMPORT_TARGET_SECONDS} s), search indexes caught up at "
        f"{r['seconds']:.1f} s; {r['queries']:,} queries, peak memory "
        f"+{r['max_rss_delta_mb']} MB; the same file again: {r['second_seconds']:.1f} s "
        f"({r['second_summary']})"
    )


def _import_only(env, database_url: str, args) -> int:
    if not args.reuse_db:
        _recreate_database(database_url)
        _manage(env, "migrate", "--no-input", quiet=True)
    result = _time_import(env, args.import_findings or 50_000)
    if not args.no_write:
        line = f"- {IMPORT_FACT}: {_import_line(result)}"
        RESULTS.write_text(_with_fact(RESULTS.read_text() if RESULTS.exists() else "", line))
        print(f"\nWrote the import line of {RESULTS.relative_to(ROOT)}.")
    return 0


def _with_fact(text: str, line: str) -> str:
    """`text` (results.md) with its facts line for the import replaced by `line`, or added
    after the last line of its first block of facts."""
    prefix = f"- {IMPORT_FACT}:"
    lines = text.split("\n")
    begin = 0
    for index in range(begin, len(lines)):
        if lines[index].startswith(prefix):
            lines[index] = line
            return "\n".join(lines)
    last = None
    for index in range(begin, len(lines)):
        if lines[index].startswith("- "):
            last = index
        elif last is not None:
            break
    if last is None:
        return text
    lines.insert(last + 1, line)
    return "\n".join(lines)


def _count_records(database_url: str) -> dict[str, int]:
    with psycopg.connect(database_url) as conn:
        users = conn.execute("SELECT count(*) FROM auth_user").fetchone()[0]
        pages = conn.execute("SELECT count(*) FROM wagtailcore_page").fetchone()[0]
        rows = conn.execute(
            "SELECT coalesce(sum(n_live_tup), 0) FROM pg_stat_user_tables"
        ).fetchone()[0]
        version = conn.execute("SHOW server_version").fetchone()[0]
    return {"users": users, "pages": pages, "rows": int(rows), "postgres": version}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _start_gunicorn(env, port: int) -> subprocess.Popen:
    print(f"Starting gunicorn ({WORKERS} workers × {THREADS} threads) on {HOST}:{port}...")
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--workers",
            str(WORKERS),
            "--worker-class",
            "gthread",
            "--threads",
            str(THREADS),
            "--bind",
            f"{HOST}:{port}",
            "--log-level",
            "warning",
            *os.environ.get("BENCH_GUNICORN_ARGS", "").split(),
        ],
        cwd=ROOT,
        env=env,
        # Its own process group, so that stopping it stops its workers too.
        start_new_session=True,
    )


def _start_celery_worker(env) -> subprocess.Popen:
    print(f"Starting a Celery worker on {BROKER_URL}...")
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker"]
        + ["--loglevel", "warning", "--concurrency", "1", "--without-gossip", "--without-mingle"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )


def _clear_broker(url: str) -> None:
    """Tasks an earlier, interrupted run left queued would run against this run's data."""
    import redis

    redis.Redis.from_url(url).flushdb()


def _wait_until_serving(port: int, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn exited before it served a request")
        try:
            response, _ = Client(HOST, port).request("GET", "/bench/minimal/")
            if response.status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("gunicorn did not answer in time")


def _stop(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def select_pages(pages: list[Page], only: list[str]) -> list[Page]:
    """The pages whose name or path contains any of `only` (any case), with the ceiling kept so
    the figures can still be read against it; every page when `only` is empty."""
    if not only:
        return list(pages)
    wanted = [s.lower() for s in only]
    chosen = [p for p in pages if any(w in p.name.lower() or w in p.path.lower() for w in wanted)]
    if not chosen:
        return []
    return [p for p in pages if p.ceiling and p not in chosen] + chosen


def _measure_all(port: int, password: str, args, pages) -> list[tuple]:
    """Measure every page in short rounds, taking turns, so that a burst of other work on the
    machine slows all of them alike rather than whichever page it happened to land on."""
    cookies: dict[Page, dict[str, str] | None] = {}
    sessions: dict[str, dict[str, str]] = {}
    for page in pages:
        if page.who != ANONYMOUS and page.who not in sessions:
            sessions[page.who] = sign_in(HOST, port, page.who, password)
        cookies[page] = sessions.get(page.who)
    totals = {page: Measurement() for page in pages}
    solo: dict[Page, Measurement] = {}
    for round_number in range(args.rounds):
        print(f"Round {round_number + 1} of {args.rounds}: {len(pages)} pages...", flush=True)
        for page in pages:
            totals[page].add(
                measure(
                    HOST,
                    port,
                    page.path,
                    cookies=cookies[page],
                    concurrency=page.concurrency or args.concurrency,
                    seconds=args.seconds / args.rounds,
                    warmup=20 if round_number == 0 else 2,
                )
            )
    print("One request at a time: the signed-in pages...", flush=True)
    for page in pages:
        if targets.needs_solo(page):
            page_seconds = args.seconds / args.rounds
            solo[page] = measure(
                HOST, port, page.path, cookies=cookies[page], concurrency=1,
                seconds=page_seconds, warmup=2,
            )  # fmt: skip
    for page, result in totals.items():
        if result.errors:
            print(f"  {page.name} ({page.who}): {result.errors} errors; {result.statuses}")
    return [(page, result, solo.get(page)) for page, result in totals.items()]


def _table(results) -> str:
    ceiling = next((r for p, r, _ in results if p.ceiling), None)
    lines = [
        "| page | who | path | req/s | p50 ms | p95 ms | queries | targets |",
        "|---|---|---|---:|---:|---:|---:|---|",
    ]
    for page, r, solo in results:
        queries = "–" if r.median_queries is None else f"{r.median_queries:g}"
        if r.max_queries is not None and r.max_queries != r.median_queries:
            queries += f" (max {r.max_queries})"
        lines.append(
            f"| {page.name} | {page.who} | `{page.path}` | {r.rps:,.0f} | "
            f"{r.percentile_ms(50):.1f} | {r.percentile_ms(95):.1f} | {queries} | "
            f"{'; '.join(targets.verdicts(page, r, solo, ceiling))} |"
        )
    return "\n".join(lines)


def _facts(args, load_seconds, records, load_average) -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{mem_kb / 1024 / 1024:.0f} GiB"
    except OSError:
        memory = "unknown memory"
    load = "reused" if load_seconds is None else f"{load_seconds:.0f} s"
    return {
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "machine": f"{os.cpu_count()} cores ({cpu}), {memory}, {platform.system()}",
        "software": (
            f"Python {platform.python_version()}, PostgreSQL {records['postgres']}, "
            f"Redis cache, gunicorn {WORKERS} workers × {THREADS} threads (gthread)"
        ),
        "data": (
            f"`load_demo --scale {args.scale}` ({load}): {records['users']:,} people, "
            f"{records['pages']:,} pages, {records['rows']:,} rows in all"
        ),
        "load": (
            f"{args.concurrency} keep-alive connections (1 for the pages marked one at a time) "
            f"from one Python process on the same machine, {args.seconds:g} s per page in "
            f"{args.rounds} rounds taking turns, after a "
            f"warm-up; 1-minute load average "
            f"{load_average[0]:.1f} before and {load_average[1]:.1f} after (other work on the "
            "machine makes every figure slower, the ratios less so)"
        ),
    }


def _facts_lines(facts) -> str:
    return "\n".join(f"- {key}: {value}" for key, value in facts.items())


def _results_markdown(facts, table) -> str:
    return (
        "# Benchmark results\n\n"
        "Written by `make bench` (`python -m bench.run`); do not edit by hand.\n\n"
        f"{_facts_lines(facts)}\n\n{table}\n\n{_targets_note()}\n"
    )


def _targets_note() -> str:
    return (
        "Targets (bench/targets.py): the minimal view at least 1.5x its 1,751 req/s before; "
        "anonymous pages and listings from the page cache at least 50% of the minimal view's "
        "requests per second; every signed-in page at least 15% of it, within "
        f"{targets.QUERY_LIMIT} queries, and a 95th percentile under 150 ms one request at a "
        "time; admin pages a median under 100 ms one at a time. Queries are per request, "
        "counted by the server (X-Hub-Queries, only under HUB_BENCH). A cached page can beat "
        "the minimal view: that passes through every middleware (sessions, CSRF, "
        "authentication, messages), while a cache hit is answered above them."
    )


if __name__ == "__main__":
    sys.exit(main())
