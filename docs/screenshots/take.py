"""Screenshots of each person's home page for the guides, taken from the demo as a person sees it.

    make screenshots        # against the demo world `make demo` builds

Starts the development server on a free port with the demo (second factor bypassed, as `make run`
does), signs each demo account in through the sign-in page with Debian's chromium, and saves
docs/screenshots/home-<account>.png. The pictures hold only the demo's fictional people."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.request import urlopen

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PASSWORD = "learning-hub-demo"
# (account, where their day starts)
HOMES = [
    ("practitioner", "/"),
    ("agencylead", "/"),
    ("exec", "/"),
    ("trainer", "/admin/"),
    ("qa", "/admin/"),
    ("reviewer", "/admin/"),
    ("manager", "/admin/"),
    ("scrutineer", "/admin/"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(port: int) -> subprocess.Popen:
    env = {**os.environ, "HUB_TWO_FACTOR_REQUIRED": "0"}
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(60):
        try:
            urlopen(f"http://127.0.0.1:{port}/", timeout=2)  # noqa: S310 - our own server
            return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("the development server did not start")


def main() -> None:
    port = _free_port()
    server = _serve(port)
    base = f"http://127.0.0.1:{port}"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"]
            )
            for account, home in HOMES:
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                page.goto(f"{base}/sign-in/")
                page.get_by_label("Username").fill(account)
                page.get_by_label("Password").fill(PASSWORD)
                page.get_by_role("button", name="Sign in").click()
                page.wait_for_url(lambda url: "/sign-in/" not in url)
                page.goto(base + home)
                path = HERE / f"home-{account}.png"
                page.screenshot(path=str(path), full_page=True)
                print(f"{path.relative_to(ROOT)}")
                context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
