"""Admin URLs of import jobs, mounted by `hub.wagtail_hooks`."""

from django.urls import path

from .views import ImportJobView

app_name = "hub_imports"

urlpatterns = [
    path("jobs/<int:pk>/", ImportJobView.as_view(), name="job"),
]
