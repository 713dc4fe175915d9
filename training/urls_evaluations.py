"""The delegate's pages after a session (included from config/urls.py)."""

from django.urls import path

from . import evaluation_views as views

urlpatterns = [
    path("evaluations/<int:pk>/", views.evaluate, name="training-evaluate"),
    path("evaluations/<int:pk>/done/", views.evaluation_done, name="training-evaluation-done"),
    path("evaluations/<int:pk>/follow-up/", views.follow_up, name="training-follow-up"),
    path("certificates/<int:pk>/", views.certificate, name="training-certificate"),
]
