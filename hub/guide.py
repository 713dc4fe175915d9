"""The Hub's guide in the admin, in place of Wagtail's editor guide: the role guides kept in
`docs/guides/` (the same files the repository shows), rendered as pages of the admin.

Markdown is rendered with markdown-it-py with raw HTML off, so a guide can hold no markup of
its own; links between guides (`trainers.md`) become links to their admin pages."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.http import Http404
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.generic import TemplateView
from markdown_it import MarkdownIt
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

GUIDES = Path(settings.BASE_DIR) / "docs" / "guides"
_GUIDE_LINK = re.compile(r'href="([a-z0-9-]+)\.md(#[^"]*)?"')


@dataclass(frozen=True)
class Guide:
    slug: str
    title: str
    path: Path

    @property
    def url(self) -> str:
        return reverse("hub_guide_page", args=[self.slug])


def _title(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return path.stem.replace("-", " ").capitalize()


@functools.cache
def guides() -> tuple[Guide, ...]:
    if not GUIDES.is_dir():
        return ()
    return tuple(
        sorted(
            (Guide(path.stem, _title(path), path) for path in GUIDES.glob("*.md")),
            key=lambda guide: guide.title,
        )
    )


def render(guide: Guide) -> str:
    # The guide's own "# Title" is the admin page's heading already: one h1 per page.
    text = guide.path.read_text(encoding="utf-8")
    lines = text.splitlines()
    if lines and lines[0].startswith("# "):
        text = "\n".join(lines[1:])
    html = MarkdownIt("commonmark", {"html": False}).enable("table").render(text)
    slugs = {g.slug for g in guides()}

    def link(match):
        slug, anchor = match.group(1), match.group(2) or ""
        if slug not in slugs:
            return match.group(0)
        return f'href="{reverse("hub_guide_page", args=[slug])}{anchor}"'

    return mark_safe(_GUIDE_LINK.sub(link, html))  # noqa: S308 - markdown-it escapes all HTML


class GuideIndexView(WagtailAdminTemplateMixin, TemplateView):
    page_title = "The Hub's guide"
    header_icon = "help"
    template_name = "hub/admin/guide_index.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "guides": guides()}


class GuideView(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "help"
    template_name = "hub/admin/guide.html"

    def dispatch(self, request, slug):
        found = [guide for guide in guides() if guide.slug == slug]
        if not found:
            raise Http404("No such guide")
        self.guide = found[0]
        return super().dispatch(request)

    def get_page_title(self):
        return self.guide.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("hub_guide"), "label": "The Hub's guide"},
            {"url": "", "label": self.guide.title},
        ]

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "body": render(self.guide)}
