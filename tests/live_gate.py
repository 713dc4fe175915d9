"""A gate in front of pytest-django's live server: it answers only while a test that asked for
it runs, and the test's teardown waits for the requests still in flight.

Why: with SQLite in memory, the live server's threads share the test's one connection. A request
the browser sends as a page goes away (Wagtail's editing-session "release" beacon, sent when an
admin edit page unloads) could arrive after the test had ended. pytest-django's database blocker
then refused it half-way out of an atomic block, and the shared connection was left with
autocommit off: every later test on that connection failed with "on_commit() cannot be used in
manual transaction management" (CI, 2026-12-03). Between tests the gate answers 503 without
running Django, so no request ever touches the connection outside a test's database window."""

from __future__ import annotations

import threading

WAIT_SECONDS = 30


class _Finishing:
    """The response's body, calling `done` once the server has closed it (Django's
    request_finished, which touches the connection, runs in that close)."""

    def __init__(self, result, done):
        self._result, self._done = result, done

    def __iter__(self):
        return iter(self._result)

    def close(self):
        try:
            if hasattr(self._result, "close"):
                self._result.close()
        finally:
            self._done()


class RequestGate:
    def __init__(self, app):
        self.app = app
        self.is_open = False
        self.in_flight = 0
        self._changed = threading.Condition()

    def __call__(self, environ, start_response):
        with self._changed:
            if not self.is_open:
                start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
                return [b"The live server answers only during a test."]
            self.in_flight += 1
        try:
            result = self.app(environ, start_response)
        except BaseException:
            self._finished()
            raise
        return _Finishing(result, self._finished)

    def _finished(self):
        with self._changed:
            self.in_flight -= 1
            self._changed.notify_all()

    def open(self):
        with self._changed:
            self.is_open = True

    def close(self) -> int:
        """Stop answering, and wait for the requests in flight; returns how many never ended."""
        with self._changed:
            self.is_open = False
            self._changed.wait_for(lambda: self.in_flight == 0, timeout=WAIT_SECONDS)
            return self.in_flight


def gate_of(live_server) -> RequestGate:
    """The server's gate, put in front of its application the first time it is asked for."""
    httpd = live_server.thread.httpd
    app = httpd.get_app()
    if not isinstance(app, RequestGate):
        app = RequestGate(app)
        httpd.set_app(app)
    return app
