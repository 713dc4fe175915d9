"""A request carrying a NUL byte is answered 400 before any view sees it.

Django refuses a NUL only in form fields (`ProhibitNullCharactersValidator` on CharField); a URL
parameter (`/my-actions/WIR%00/`) or a query value read by a view (`?theme=%00`) reaches the ORM,
and PostgreSQL cannot hold a NUL in text: the query raises and the person sees a 500. No URL,
query or form value of the Hub means anything with a NUL in it, so one check here answers for
every view, present and future, in words."""

from django.http import HttpResponseBadRequest

MESSAGE = (
    "Bad request: the address or form holds a NUL character (%00), which the Hub never accepts. "
    "Check the link or retype the value."
)


def _has_nul(values) -> bool:
    return any("\x00" in key or any("\x00" in v for v in vs) for key, vs in values.lists())


class RejectNulBytesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or _has_nul(request.GET) or self._post_has_nul(request):
            return HttpResponseBadRequest(MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def _post_has_nul(request) -> bool:
        # Form posts only: a JSON or file body is the view's to read, and binary files may hold
        # NULs by right; their names may not.
        if request.method != "POST" or request.content_type not in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            return False
        files = request.FILES
        return _has_nul(request.POST) or any(
            "\x00" in (upload.name or "") for upload in files.values()
        )
