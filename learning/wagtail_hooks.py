from wagtail import hooks

from . import home


@hooks.register("before_delete_page")
def keep_briefings_people_have_read(request, page):
    """A briefing that people have marked read and understood is evidence of embedding (the
    database protects it): refuse with a message and offer unpublishing, not an error page."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from .models import Acknowledgement

    if Acknowledgement.objects.filter(briefing_id=page.pk).exists():
        messages.error(
            request,
            "People have marked this briefing read and understood, which is evidence that the "
            "learning is embedded: unpublish it instead of deleting it.",
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


# What needs each person, from learning (`hub.home`): actions and briefings to read on the site;
# quality assurance's decisions and the partnership's figures in the admin.
hooks.register("hub_home_sections", home.action_sections)
hooks.register("hub_home_sections", home.reader_sections)
hooks.register("hub_home_sections", home.executive_sections)
hooks.register("hub_admin_home_sections", home.quality_assurance_sections)
hooks.register("hub_admin_home_sections", home.oversight_sections)
