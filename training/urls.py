from django.urls import path

from . import views

urlpatterns = [
    path("my-training/", views.my_training, name="my-training"),
    path("training/calendar.ics", views.calendar_feed, name="training-calendar"),
    path("training/sessions/<int:pk>/book/", views.book, name="training-book"),
    path("training/bookings/<int:pk>/", views.booking_detail, name="training-booking"),
    path("training/bookings/<int:pk>/cancel/", views.cancel, name="training-cancel"),
    path(
        "training/bookings/<int:pk>/accept/",
        views.respond_to_offer,
        {"answer": "accept"},
        name="training-accept",
    ),
    path(
        "training/bookings/<int:pk>/decline/",
        views.respond_to_offer,
        {"answer": "decline"},
        name="training-decline",
    ),
    path("training/bookings/<int:pk>/calendar.ics", views.booking_ics, name="training-booking-ics"),
    path("training/approval/<str:token>/", views.approval, name="training-approval"),
]
