"""The live server's gate (tests/live_gate.py): nothing reaches Django between tests, and a
test's teardown waits until the requests it started have ended."""

import threading
import time

from tests.live_gate import RequestGate


def _call(gate):
    seen = {}

    def start_response(status, headers):
        seen["status"] = status

    body = gate({}, start_response)
    return seen.get("status"), body


def test_between_tests_the_gate_answers_503_without_calling_the_app():
    called = []
    gate = RequestGate(lambda environ, start: called.append(1) or [b"ok"])
    status, _ = _call(gate)
    assert status.startswith("503") and not called


def test_closing_waits_for_a_request_in_flight_to_be_closed_by_the_server():
    release = threading.Event()

    def app(environ, start_response):
        start_response("200 OK", [])
        return [b"ok"]

    gate = RequestGate(app)
    gate.open()
    status, body = _call(gate)
    assert status == "200 OK" and gate.in_flight == 1

    def server_closes_later():
        release.wait()
        time.sleep(0.1)
        body.close()

    threading.Thread(target=server_closes_later).start()
    release.set()
    started = time.monotonic()
    assert gate.close() == 0
    assert time.monotonic() - started >= 0.1
    assert _call(gate)[0].startswith("503")
