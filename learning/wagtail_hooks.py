from wagtail import hooks


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
