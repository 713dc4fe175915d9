from django.urls import path

from hub.page_cache import shared_with_visitors

from . import feeds
from .views import briefings, my_actions, records, themes

urlpatterns = [
    path("my-actions/", my_actions.action_list, name="my-actions"),
    path("my-actions/<str:reference>/", my_actions.action_detail, name="my-action"),
    path("my-actions/<str:reference>/progress/", my_actions.progress, name="my-action-progress"),
    path("my-actions/<str:reference>/evidence/", my_actions.evidence, name="my-action-evidence"),
    path("my-actions/<str:reference>/extension/", my_actions.extension, name="my-action-extension"),
    path("my-actions/<str:reference>/<slug:verb>/", my_actions.move, name="my-action-move"),
    # The learning library's theme pages (the library itself is Wagtail's LibraryPage).
    path("themes/<slug:slug>/", themes.theme_page, name="theme"),
    # Single records the library lists and search finds: their own addresses to link to.
    path("findings/<int:pk>/", records.finding, name="library-finding"),
    path("recommendations/<int:pk>/", records.recommendation, name="library-recommendation"),
    path("review-reports/<int:pk>/", records.report, name="library-report"),
    path("feeds/", feeds.my_feeds, name="my-feeds"),
    path("feeds/new/", feeds.regenerate, name="my-feeds-regenerate"),
    path("feeds/public/", shared_with_visitors(feeds.PublicFeed()), name="public-feed"),
    path("feeds/<slug:slug>/<str:token>/", feeds.partnership_feed, name="partnership-feed"),
    # Learning briefings: read and understood, what I have read, the PDF.
    path("briefings/read/", briefings.read_list, name="briefings-read"),
    path("briefings/<int:pk>/read/", briefings.acknowledge, name="briefing-acknowledge"),
    path("briefings/<int:pk>/pdf/", briefings.pdf, name="briefing-pdf"),
]
