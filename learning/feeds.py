"""Atom feeds of shared learning: one per partnership for signed-in people's feed readers, and a
public one.

A feed reader cannot sign in, so a person's feed address carries their feed token; the feed then
shows exactly what that person may see (the access policy's `visible_to`), no more. The address
is a secret: regenerating it on the feeds page revokes the old one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_POST

from partnership import rate_limits, readers
from partnership.access import SharingLevel, membership_of
from partnership.models import FeedToken, Partnership

from . import sharing

NEW_SECRET_KEY = "hub-new-feed-secret"


class _LearningFeed(Feed):
    feed_type = Atom1Feed

    def items(self, obj):
        return obj["entries"]

    def link(self, obj):
        return obj["link"]

    def title(self, obj):
        return obj["title"]

    def subtitle(self, obj):
        return obj["subtitle"]

    def item_title(self, item):
        return item.title

    def item_link(self, item):
        return item.link

    def item_description(self, item):
        return item.summary

    def item_updateddate(self, item):
        return item.updated

    def item_pubdate(self, item):
        return item.updated

    def item_author_name(self, item):
        return item.author

    def item_guid(self, item):
        return item.guid

    item_guid_is_permalink = False


class PartnershipFeed(_LearningFeed):
    """What one partnership shares with the region, as the token's owner may see it."""

    def get_object(self, request, slug, token):
        user = readers.user_for_feed_token(token)
        if user is None:
            raise Http404("No such feed.")
        partnership = get_object_or_404(Partnership, slug=slug)
        return {
            "title": f"{partnership.name}: learning shared with the region",
            "subtitle": "Briefings and findings shared at regional level, newest first.",
            "link": reverse("my-feeds"),
            "entries": sharing.feed_entries(
                readers.Reader(user=user),
                request,
                level=SharingLevel.REGIONAL,
                partnership=partnership,
            ),
        }

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        # The address is a secret and the content personal: no shared cache may keep it.
        patch_cache_control(response, private=True, no_store=True)
        response["X-Robots-Tag"] = "noindex"
        return response


# A feed address is a secret in a URL: an address that asks for too many unknown ones is refused.
partnership_feed = rate_limits.limit_failures(rate_limits.FEED_TOKEN)(PartnershipFeed())


class PublicFeed(_LearningFeed):
    """Learning every partnership shares publicly."""

    def get_object(self, request):
        return {
            "title": "Safeguarding learning shared publicly",
            "subtitle": "Briefings and findings the region's partnerships share with everyone.",
            "link": reverse("public-feed"),
            "entries": sharing.feed_entries(
                readers.Reader(user=AnonymousUser()), request, level=SharingLevel.PUBLIC
            ),
        }


@login_required
def my_feeds(request):
    """The signed-in person's feed addresses: shown in full only once, just after they are made,
    since only the token's digest is kept."""
    membership = membership_of(request.user)
    secret = request.session.pop(NEW_SECRET_KEY, None)
    partnerships = (
        Partnership.objects.filter(region_id=membership.partnership.region_id)
        if membership
        else Partnership.objects.none()
    )
    feeds = [
        (
            p,
            request.build_absolute_uri(reverse("partnership-feed", args=[p.slug, secret]))
            if secret
            else None,
        )
        for p in partnerships
    ]
    return render(
        request,
        "learning/feeds/my_feeds.html",
        {
            "membership": membership,
            "token": FeedToken.objects.filter(user=request.user).first(),
            "feeds": feeds,
            "public_feed": request.build_absolute_uri(reverse("public-feed")),
        },
    )


@login_required
@require_POST
def regenerate(request):
    try:
        request.session[NEW_SECRET_KEY] = readers.regenerate_feed_token(request.user)
    except readers.TokenError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, "Your new feed addresses are below. Addresses you used before stop working."
        )
    return redirect("my-feeds")
