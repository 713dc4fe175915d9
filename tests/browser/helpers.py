"""What browser tests do with a page: sign in, check accessibility with axe-core, move by keyboard.

Plain functions, so that tests can import them; conftest.py also offers each as a fixture.
"""

import pytest

DEMO_PASSWORD = "correct-horse-battery"

# Everything WCAG 2.0, 2.1 and 2.2 require at levels A and AA, and axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]


def sign_in(page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the sign-in page as a person would, and wait to land back on the site."""
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/sign-in/" not in url)


def assert_accessible(page, context: str | dict | None = None) -> None:
    """Run axe-core on the page and fail listing every violation, whatever its impact."""
    from axe_playwright_python.base import AXE_SCRIPT

    page.evaluate(AXE_SCRIPT)
    results = page.evaluate(
        "([context, options]) => axe.run(context || document, options)",
        [context, {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}],
    )
    violations = results["violations"]
    if violations:
        lines = [f"{len(violations)} accessibility violation(s) on {page.url}:"]
        for violation in violations:
            lines.append(
                f"- {violation['id']} ({violation['impact']}): {violation['help']} "
                f"[{violation['helpUrl']}]"
            )
            for node in violation["nodes"]:
                lines.append(f"    at {', '.join(map(str, node['target']))}: {node['html'][:200]}")
        pytest.fail("\n".join(lines), pytrace=False)


def focused(page) -> dict:
    """What has keyboard focus: its tag, accessible-ish name, id and href."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            return {
                tag: el.tagName.toLowerCase(),
                text: (el.innerText || el.value || el.getAttribute("aria-label") || "").trim(),
                id: el.id,
                href: el.getAttribute("href"),
            };
        }"""
    )


def tab_to(page, name: str, *, max_presses: int = 40, shift: bool = False) -> dict:
    """Press Tab (or Shift+Tab) until the focused element's text or id is `name`, as a keyboard
    user would, and return it. Fails if it is not reachable that way."""
    key = "Shift+Tab" if shift else "Tab"
    seen = []
    for _ in range(max_presses):
        page.keyboard.press(key)
        now = focused(page)
        # innerText breaks lines around visually hidden text ("Rate\n standard 1"), which a
        # screen reader reads as one phrase: compare with the whitespace collapsed.
        if name in (" ".join(now["text"].split()), now["id"]):
            return now
        seen.append(now["text"] or now["id"] or now["tag"])
    pytest.fail(f"{name!r} is not reachable with {key}; focus went through: {seen}", pytrace=False)


def assert_focus_visible(page) -> None:
    """The focused element shows a focus indicator (an outline or GOV.UK's yellow box-shadow)."""
    style = page.evaluate(
        """() => {
            const s = getComputedStyle(document.activeElement);
            return {outline: s.outlineStyle, width: s.outlineWidth, shadow: s.boxShadow,
                    background: s.backgroundColor};
        }"""
    )
    visible = (style["outline"] != "none" and style["width"] != "0px") or style["shadow"] != "none"
    assert visible, f"focused element has no visible focus indicator: {style}"


def type_into(page, label, text):
    """Tab to a field by its label's text, as a keyboard user reaches it, and type."""
    field = page.get_by_label(label, exact=True)
    field_id = field.get_attribute("id")
    tab_to(page, field_id)
    page.keyboard.type(text)


def choose_radio(page, radio):
    """Choose a radio button as a keyboard user does: Tab into its group, then arrow keys."""
    from playwright.sync_api import expect  # where there is no Playwright, the tests skip

    target, group = radio.get_attribute("id"), radio.get_attribute("name")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == group:
            break
    for _ in range(10):
        if page.evaluate("document.activeElement.id") == target:
            break
        page.keyboard.press("ArrowDown")
    expect(radio).to_be_checked()
