from django.http import HttpResponse


def minimal_view(request):
    """The framework's ceiling for `make bench`: a view that does nothing but answer."""
    return HttpResponse("ok", content_type="text/plain")
