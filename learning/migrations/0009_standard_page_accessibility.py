"""A plain text page type, and the accessibility statement every public service must publish."""

import django.db.models.deletion
import wagtail.fields
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


STATEMENT = """
<p>This accessibility statement applies to the Safeguarding Learning Hub, the website where the
region's safeguarding partnerships publish learning from case reviews, audits and peer reviews,
and where practitioners read briefings and book training.</p>
<p>The partnerships run this website and want as many people as possible to be able to use it.
For example, that means you should be able to:</p>
<ul>
<li>change colours, contrast levels and fonts using your browser or device settings</li>
<li>zoom in up to 400% without the text spilling off the screen</li>
<li>navigate the whole website using just a keyboard</li>
<li>navigate most of the website using speech recognition software</li>
<li>listen to the website using a screen reader (including the most recent versions of JAWS,
NVDA and VoiceOver)</li>
<li>leave any page at once with the "Exit this page" button, or by pressing the Shift key three
times</li>
</ul>
<p>We have also made the text as simple as we can. <a href="https://mcmw.abilitynet.org.uk/">AbilityNet</a>
has advice on making your device easier to use if you have a disability.</p>
<h2>How accessible this website is</h2>
<p>We know some parts of this website are not fully accessible:</p>
<ul>
<li>some older review reports are PDF documents that were not written to be accessible, so
they may not work well with screen readers</li>
<li>the "Exit this page" button does not stay in view as you scroll down a long page</li>
</ul>
<h2>Feedback and contact information</h2>
<p>If you need information on this website in a different format, such as an accessible PDF,
large print, easy read, audio recording or braille, email
<a href="mailto:accessibility@example.org">accessibility@example.org</a>. We will consider your
request and get back to you in 10 working days.</p>
<h2>Reporting accessibility problems with this website</h2>
<p>We are always looking to improve the accessibility of this website. If you find any problems
not listed on this page or think we are not meeting accessibility requirements, email
<a href="mailto:accessibility@example.org">accessibility@example.org</a>.</p>
<h2>Enforcement procedure</h2>
<p>The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector
Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018 (the
accessibility regulations). If you are not happy with how we respond to your complaint, contact
the <a href="https://www.equalityadvisoryservice.com/">Equality Advisory and Support Service
(EASS)</a>.</p>
<h2>Technical information about this website's accessibility</h2>
<p>The safeguarding partnerships are committed to making this website accessible, in accordance
with the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility
Regulations 2018.</p>
<h3>Compliance status</h3>
<p>This website is partially compliant with the
<a href="https://www.w3.org/TR/WCAG22/">Web Content Accessibility Guidelines version 2.2</a>
AA standard, due to the non-compliances listed below.</p>
<h2>Non-accessible content</h2>
<h3>Non-compliance with the accessibility regulations</h3>
<p>Some review reports published before this website was launched are PDF documents that do not
have tagged headings or text alternatives for their charts. This fails WCAG 2.2 success
criteria 1.1.1 (non-text content) and 1.3.1 (info and relationships). When a partnership
publishes a new report, it publishes an accessible version, and replaces older PDFs when they
are asked for.</p>
<h3>Disproportionate burden</h3>
<p>We are not claiming disproportionate burden for any content.</p>
<h3>Content that is not within the scope of the accessibility regulations</h3>
<p>PDFs and other documents published before 23 September 2018 are not within scope if they are
not needed for using our services.</p>
<h2>What we are doing to improve accessibility</h2>
<p>Every type of page on this website is checked with automated accessibility testing (axe-core,
against WCAG 2.2 A and AA) each time the website changes, and tested with a keyboard alone. We
plan to have the website audited by an accessibility specialist in the coming year.</p>
<h2>Preparation of this accessibility statement</h2>
<p>This statement was prepared on 23 November 2026. It will be reviewed every year and whenever
the website changes substantially.</p>
"""

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _step(number: int) -> str:
    """A path step of Wagtail's page tree (treebeard: base 36, four characters)."""
    digits = ""
    while number:
        number, rest = divmod(number, 36)
        digits = ALPHABET[rest] + digits
    return digits.rjust(4, "0")


def create_accessibility_statement(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    HomePage = apps.get_model("learning", "HomePage")
    StandardPage = apps.get_model("learning", "StandardPage")

    home = HomePage.objects.order_by("path").first()
    if (
        home is None
        or Page.objects.filter(
            path__startswith=home.path, depth=home.depth + 1, slug="accessibility"
        ).exists()
    ):
        return
    last = (
        Page.objects.filter(path__startswith=home.path, depth=home.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    number = int(last[-4:], 36) + 1 if last else 1
    content_type, _ = ContentType.objects.get_or_create(app_label="learning", model="standardpage")
    now = timezone.now()
    StandardPage.objects.create(
        title="Accessibility statement",
        draft_title="Accessibility statement",
        slug="accessibility",
        content_type=content_type,
        path=home.path + _step(number),
        depth=home.depth + 1,
        numchild=0,
        url_path=f"{home.url_path}accessibility/",
        locale_id=home.locale_id,
        live=True,
        first_published_at=now,
        last_published_at=now,
        body=STATEMENT.strip(),
    )
    home.numchild = Page.objects.filter(path__startswith=home.path, depth=home.depth + 1).count()
    home.save(update_fields=["numchild"])


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0008_briefing_page_permissions"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.CreateModel(
            name="StandardPage",
            fields=[
                (
                    "page_ptr",
                    models.OneToOneField(
                        auto_created=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        parent_link=True,
                        primary_key=True,
                        serialize=False,
                        to=settings.WAGTAIL_PAGE_MODEL,
                    ),
                ),
                ("body", wagtail.fields.RichTextField()),
            ],
            options={
                "verbose_name": "standard page",
            },
            bases=("wagtailcore.page",),
        ),
        migrations.RunPython(create_accessibility_statement, migrations.RunPython.noop),
    ]
