"""The Hub's own admin: its name and mark, the partnership's words, and the Hub's guide in place
of Wagtail's editor guide. Through the real admin pages."""

import gettext
import re
from pathlib import Path

from django.utils import translation

import hub

LOCALE = Path(hub.__file__).parent / "locale" / "en_GB" / "LC_MESSAGES"


def _po_entries() -> dict[str, str]:
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    return {
        msgid: msgstr for msgid, msgstr in re.findall(r'^msgid "(.+)"\nmsgstr "(.*)"$', text, re.M)
    }


def test_the_compiled_catalogue_matches_the_po_file():
    """`make messages` was run after the last change to the .po file."""
    with (LOCALE / "django.mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    entries = _po_entries()
    assert entries
    for msgid, msgstr in entries.items():
        assert catalogue.gettext(msgid) == msgstr, msgid


def test_wagtails_workflow_words_are_the_partnerships():
    with translation.override("en-gb"):
        assert translation.gettext("Awaiting your review") == "Waiting for your sign-off"
        assert translation.gettext("Submit for moderation") == "Send for sign-off"


def test_every_admin_page_is_titled_with_the_hubs_name(client, people):
    client.force_login(people["trainer"])
    html = client.get("/admin/").content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert title.split() == ["Home", "-", "Safeguarding", "Learning", "Hub"]
    assert "What needs you, Tomasz" in html
    # The sidebar's mark is the Hub's, and no Wagtail version is offered.
    logo = html.split("data-wagtail-sidebar-branding-logo", 1)[1].split("</template>", 1)[0]
    assert 'aria-label="Safeguarding Learning Hub"' in logo
    assert not re.search(r"Wagtail \d", html)


def test_the_editor_guide_is_the_hubs_guide(client, people):
    client.force_login(people["qa"])
    html = client.get("/admin/").content.decode()
    assert "editor guide" not in html.lower()
    assert 'href="/admin/guide/"' in html
    index = client.get("/admin/guide/").content.decode()
    assert 'href="/admin/guide/quality-assurance/"' in index
    page = client.get("/admin/guide/quality-assurance/").content.decode()
    assert page.count("<h1") == 1 and "Quality assurance" in page
    assert client.get("/admin/guide/no-such-guide/").status_code == 404


def test_a_guide_cannot_carry_markup_of_its_own(tmp_path, monkeypatch):
    from hub import guide

    (tmp_path / "x.md").write_text("# X\n\n<script>alert(1)</script> see [y](y.md)\n")
    (tmp_path / "y.md").write_text("# Y\n")
    monkeypatch.setattr(guide, "GUIDES", tmp_path)
    guide.guides.cache_clear()
    try:
        html = guide.render(guide.guides()[0])
    finally:
        guide.guides.cache_clear()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="/admin/guide/y/"' in html
