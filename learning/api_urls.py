from django.urls import path

from . import api

urlpatterns = [
    path("briefings/", api.briefing_list, name="api-briefings"),
    path("briefings/<int:pk>/", api.briefing_detail, name="api-briefing"),
    path("findings/", api.finding_list, name="api-findings"),
    path("findings/<int:pk>/", api.finding_detail, name="api-finding"),
]
