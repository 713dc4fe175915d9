"""What a fresh Hub starts with: its home page, the site that serves it at `/`, and the
accessibility statement every public service must publish.

Kept beside the migrations (the loader skips modules named with a leading underscore) so that
`0001_initial` stays what `makemigrations` writes, plus one call to `forwards` at its end."""

from hub.tree import add_live_child_page

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


def create_home_page(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Locale = apps.get_model("wagtailcore", "Locale")
    HomePage = apps.get_model("hub", "HomePage")

    if HomePage.objects.exists():
        return
    Page.objects.filter(depth=2, slug="home", content_type__app_label="wagtailcore").delete()
    root = Page.objects.get(depth=1)
    content_type, _ = ContentType.objects.get_or_create(app_label="hub", model="homepage")
    siblings = Page.objects.filter(depth=2).count()
    home = HomePage.objects.create(
        title="Safeguarding Learning Hub",
        draft_title="Safeguarding Learning Hub",
        slug="home",
        content_type=content_type,
        path=f"{root.path}{siblings + 1:04d}",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=Locale.objects.order_by("pk").first(),
        live=True,
        introduction=(
            "Learning from case reviews, audits and peer reviews across the region's "
            "safeguarding partnerships, and the training that puts it into practice."
        ),
    )
    root.numchild = Page.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])
    Site.objects.all().delete()
    Site.objects.create(
        hostname="localhost", port=80, root_page=home, is_default_site=True,
        site_name="Safeguarding Learning Hub",
    )


def create_accessibility_statement(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    home = apps.get_model("hub", "HomePage").objects.order_by("path").first()
    if home is None or Page.objects.filter(
        path__startswith=home.path, depth=home.depth + 1, slug="accessibility"
    ).exists():
        return
    add_live_child_page(
        apps,
        home,
        apps.get_model("hub", "StandardPage"),
        slug="accessibility",
        title="Accessibility statement",
        body=STATEMENT.strip(),
    )


def forwards(apps, schema_editor):
    create_home_page(apps, schema_editor)
    create_accessibility_statement(apps, schema_editor)
