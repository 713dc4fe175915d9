"""A small load generator for loopback only: keep-alive connections from threads, bounded in time
and in count, reading the server's X-Hub-Queries header for the queries each request cost."""

import functools
import http.client
import re
import statistics
import threading
import time
import urllib.parse
from base64 import b32decode
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

from django_otp.oath import totp

LOOPBACK = ("127.0.0.1", "localhost", "::1")


# A broken connection, or (for a form) a page without the form's token: the request is counted
# as an error and the thread carries on with a new connection.
REQUEST_ERRORS = (OSError, http.client.HTTPException, AttributeError)


@dataclass
class Measurement:
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)

    def add(self, other: "Measurement") -> None:
        """Fold in another round of the same page."""
        self.requests += other.requests
        self.errors += other.errors
        self.seconds += other.seconds
        self.latencies.extend(other.latencies)
        self.queries.extend(other.queries)
        for status, n in other.statuses.items():
            self.statuses[status] = self.statuses.get(status, 0) + n

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile_ms(self, pct: float) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        index = min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))
        return ordered[index] * 1000

    @property
    def median_queries(self) -> float | None:
        return statistics.median(self.queries) if self.queries else None

    @property
    def max_queries(self) -> int | None:
        return max(self.queries) if self.queries else None


class Client:
    """One keep-alive connection to the server under test, with its own cookies."""

    def __init__(self, host: str, port: int, cookies: dict[str, str] | None = None):
        if host not in LOOPBACK:
            raise ValueError("the load generator only sends traffic to loopback")
        self.host, self.port = host, port
        self.cookies = dict(cookies or {})
        self.connection = http.client.HTTPConnection(host, port, timeout=30)

    def request(self, method: str, path: str, body: str | None = None, headers=None):
        headers = {"Host": f"{self.host}:{self.port}", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        except (http.client.HTTPException, ConnectionError):
            # The server closed an idle keep-alive connection: open a fresh one, once.
            self.connection.close()
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        content = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        if response.will_close:
            self.connection.close()
        return response, content

    def close(self):
        self.connection.close()


def sign_in(host: str, port: int, username: str, password: str) -> dict[str, str]:
    """Sign in through the site's own form, CSRF token and all; return the session's cookies."""
    client = Client(host, port)
    response, content = client.request("GET", "/sign-in/")
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)
    if response.status != 200 or not match:
        raise RuntimeError(f"the sign-in page did not offer a form (HTTP {response.status})")
    body = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": match.group(1).decode(), "username": username, "password": password}
    )
    response, _ = client.request(
        "POST",
        "/sign-in/",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://{host}:{port}/sign-in/",
        },
    )
    if response.status != 302 or "sessionid" not in client.cookies:
        client.close()
        raise RuntimeError(f"signing in as {username} failed (HTTP {response.status})")
    _second_factor(client, username)
    client.close()
    return client.cookies


SECRET = re.compile(rb'id="two-factor-secret">([A-Z2-7 ]+)<')
SET_UP = "/sign-in/two-factor/set-up/"


def _second_factor(client: Client, username: str) -> None:
    """People who use the admin set up an authenticator at their first sign-in (the bench runs
    production settings, which refuse the bypass): do it as a phone would, from the secret the
    page shows, so the pages are measured as a two-factor session sees them."""
    response, _ = client.request("GET", "/")
    if response.status != 302 or not response.headers.get("Location", "").startswith(SET_UP):
        return
    response, content = client.request("GET", SET_UP)
    secret = SECRET.search(content)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)
    if response.status != 200 or not secret or not token:
        raise RuntimeError(f"setting up two factors as {username} found no secret")
    key = secret.group(1).decode().replace(" ", "")
    code = f"{totp(b32decode(key + '=' * (-len(key) % 8))):06d}"
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1).decode(), "code": code})
    response, _ = client.request(
        "POST",
        SET_UP,
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://{client.host}:{client.port}{SET_UP}",
        },
    )
    if response.status != 302:
        raise RuntimeError(f"setting up two factors as {username} failed (HTTP {response.status})")


BOOK_LINK = re.compile(rb'href="(/training/sessions/\d+/book/)"')
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def _form_post(client: Client, path: str, token: str, referer: str):
    return client.request(
        "POST",
        path,
        body=urllib.parse.urlencode({"csrfmiddlewaretoken": token}),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://{client.host}:{client.port}{referer}",
        },
    )


def measure_booking(
    host: str,
    port: int,
    course_path: str,
    *,
    cookies: dict[str, str] | None = None,
    concurrency: int = 4,
    seconds: float = 6.0,
    max_requests: int = 50_000,
    warmup: int = 2,
) -> Measurement:
    """Time the real booking request: a POST to a session's booking form that books a place
    (or a place on its waiting list, if the session is full), as the signed-in person.

    Each thread takes its own session from the course page's Book buttons, so that one person's
    requests never meet their own "you already have a place"; after each timed POST the thread
    cancels that booking through the site's own cancel form (not timed), so the next POST books
    again and the data stays as it was. Only the booking POST's latency and queries count."""
    first = Client(host, port, cookies)
    response, content = first.request("GET", course_path)
    first.close()
    links = list(dict.fromkeys(m.decode() for m in BOOK_LINK.findall(content)))
    if response.status != 200 or not links:
        raise RuntimeError(f"{course_path} offers nothing to book (HTTP {response.status})")
    threads_wanted = min(concurrency, len(links))

    def cycle(client: Client, book: str) -> tuple[float, object]:
        _, form = client.request("GET", book)
        token = CSRF.search(form).group(1).decode()
        started = time.perf_counter()
        response, _ = _form_post(client, book, token, book)
        elapsed = time.perf_counter() - started
        location = response.headers.get("Location", "")
        if response.status == 302 and "/training/bookings/" in location:
            cancel = location.split(f":{port}", 1)[-1] + "cancel/"
            _, page = client.request("GET", cancel)
            _form_post(client, cancel, CSRF.search(page).group(1).decode(), cancel)
        return elapsed, response

    warm = Client(host, port, cookies)
    for _ in range(warmup):
        try:
            cycle(warm, links[0])
        except REQUEST_ERRORS:
            warm = Client(host, port, cookies)
    warm.close()
    return _timed_load(
        host,
        port,
        cookies,
        [functools.partial(cycle, book=links[i]) for i in range(threads_wanted)],
        seconds=seconds,
        # The warm-up's rounds come out of the same budget.
        max_requests=max(0, max_requests - warmup),
        expected_status=302,
    )


def _timed_load(
    host: str,
    port: int,
    cookies: dict[str, str] | None,
    timers: list,
    *,
    seconds: float,
    max_requests: int,
    expected_status: int,
) -> Measurement:
    """Run each of `timers` in a thread of its own, on its own keep-alive connection, until
    `seconds` have passed or `max_requests` are spent. A timer makes one request on the client
    it is given and returns (the seconds it took, the response); a response with another status
    than `expected_status`, or a broken connection, counts as an error."""
    result = Measurement()
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds
    budget = [max_requests]

    def worker(timer):
        client = Client(host, port, cookies)
        latencies, queries, statuses, errors = [], [], {}, 0
        while time.perf_counter() < stop_at:
            with lock:
                if budget[0] <= 0:
                    break
                budget[0] -= 1
            try:
                elapsed, response = timer(client)
            except REQUEST_ERRORS:
                errors += 1
                client = Client(host, port, cookies)
                continue
            latencies.append(elapsed)
            statuses[response.status] = statuses.get(response.status, 0) + 1
            if response.status != expected_status:
                errors += 1
            count = response.headers.get("X-Hub-Queries")
            if count is not None:
                queries.append(int(count))
        client.close()
        with lock:
            result.latencies.extend(latencies)
            result.queries.extend(queries)
            result.errors += errors
            for status, n in statuses.items():
                result.statuses[status] = result.statuses.get(status, 0) + n

    threads = [threading.Thread(target=worker, args=(timer,), daemon=True) for timer in timers]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 60)
    result.seconds = time.perf_counter() - started
    result.requests = len(result.latencies)
    return result


def measure(
    host: str,
    port: int,
    path: str,
    *,
    cookies: dict[str, str] | None = None,
    concurrency: int = 4,
    seconds: float = 6.0,
    max_requests: int = 50_000,
    warmup: int = 20,
) -> Measurement:
    """Hit `path` from `concurrency` threads for `seconds` (or `max_requests`), after a warm-up.

    A path written "POST <course page>" times the booking request instead (`measure_booking`):
    the registry says so in bench/pages.py, and the runner needs no change to time it."""
    if path.startswith("POST "):
        return measure_booking(
            host,
            port,
            path.removeprefix("POST "),
            cookies=cookies,
            concurrency=concurrency,
            seconds=seconds,
            max_requests=max_requests,
            warmup=min(warmup, 2),
        )
    warm = Client(host, port, cookies)
    for _ in range(warmup):
        warm.request("GET", path)
    warm.close()

    def get(client: Client) -> tuple[float, object]:
        started = time.perf_counter()
        response, _ = client.request("GET", path)
        return time.perf_counter() - started, response

    return _timed_load(
        host,
        port,
        cookies,
        [get] * concurrency,
        seconds=seconds,
        max_requests=max_requests,
        expected_status=200,
    )
