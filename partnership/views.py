from django.contrib import messages
from django.contrib.auth import views as auth_views

from .forms import SignInForm


class SignInView(auth_views.LoginView):
    template_name = "registration/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        if form.cleaned_data.get("shared_computer"):
            # 0: the session cookie has no expiry date, so the browser drops it on closing.
            self.request.session.set_expiry(0)
        return response


class SignOutView(auth_views.LogoutView):
    """Django's POST-only sign-out, which then says so: on a shared computer people need to see
    that they really are signed out."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        # The session is gone by now; the message travels in the cookie storage instead.
        messages.success(request, "You have signed out.")
        return response
