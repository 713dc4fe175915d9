"""Signing in and out of the site (not the Wagtail admin) through the Django test client."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

PASSWORD = "correct-horse-battery"


def test_sign_in_page_labels_its_fields_and_hints_autocomplete(client, db):
    response = client.get(reverse("sign-in"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<label class="govuk-label" for="id_username">Username</label>' in html
    assert '<label class="govuk-label" for="id_password">Password</label>' in html
    assert 'autocomplete="username"' in html
    assert 'autocomplete="current-password"' in html
    assert "autofocus" not in html
    assert html.count("<h1") == 1


def test_practitioner_signs_in_and_is_sent_home_signed_in(client, people):
    response = client.post(
        reverse("sign-in"), {"username": "practitioner", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain == [("/", 302)]
    assert response.wsgi_request.user == people["practitioner"]
    html = response.content.decode()
    assert "Signed in as" in html and "Pat Okafor" in html
    assert "Sign out" in html


def test_sign_in_goes_on_to_the_page_asked_for(client, people):
    response = client.post(
        reverse("sign-in") + "?next=/admin/",
        {"username": "practitioner", "password": PASSWORD, "next": "/admin/"},
    )
    assert response.status_code == 302
    assert response.url == "/admin/"


def test_sign_in_refuses_to_send_people_to_another_site(client, people):
    response = client.post(
        reverse("sign-in"),
        {"username": "practitioner", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response.url == "/"


def test_wrong_password_shows_the_error_summary_and_keeps_the_username(client, people):
    response = client.post(reverse("sign-in"), {"username": "practitioner", "password": "nope"})
    html = response.content.decode()
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated
    assert "<title>Error: Sign in" in html
    assert 'class="govuk-error-summary"' in html
    assert '<a href="#id_username">Enter a correct username and password.' in html
    assert 'value="practitioner"' in html
    assert "nope" not in html


def test_empty_form_links_each_error_to_its_field(client, db):
    response = client.post(reverse("sign-in"), {"username": "", "password": ""})
    html = response.content.decode()
    assert '<a href="#id_username">' in html and '<a href="#id_password">' in html
    assert 'aria-describedby="id_password-error"' in html
    assert "govuk-input--error" in html


def test_signed_in_person_visiting_sign_in_is_sent_home(client, people):
    client.force_login(people["practitioner"])
    response = client.get(reverse("sign-in"))
    assert response.status_code == 302
    assert response.url == "/"


def test_sign_out_signs_out_and_says_so(client, people):
    client.force_login(people["practitioner"])
    response = client.post(reverse("sign-out"), follow=True)
    assert response.redirect_chain == [("/", 302)]
    assert not response.wsgi_request.user.is_authenticated
    html = response.content.decode()
    assert "You have signed out." in html
    assert "govuk-notification-banner--success" in html
    assert "Signed in as" not in html


@pytest.mark.parametrize("method", ["get", "put"])
def test_sign_out_needs_a_post(client, people, method):
    """A link or an image tag on another page must not be able to sign someone out."""
    client.force_login(people["practitioner"])
    response = getattr(client, method)(reverse("sign-out"))
    assert response.status_code == 405
    assert client.get("/").wsgi_request.user.is_authenticated


def test_sign_out_refuses_a_forged_request(people):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(people["practitioner"])
    response = client.post(reverse("sign-out"))
    assert response.status_code == 403
    assert client.get("/").wsgi_request.user.is_authenticated


def test_unknown_address_gets_the_hubs_page_not_found(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_server_error_page_renders_without_a_request():
    """Django renders 500.html with an empty context, perhaps with the database down."""
    html = render_to_string("500.html")
    assert "Sorry, there is a problem with the service" in html
    assert "Sign in" in html
