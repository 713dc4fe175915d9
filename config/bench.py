from django.db import connection
from django.http import HttpResponse


def minimal_view(request):
    """The framework's ceiling for `make bench`: a view that does nothing but answer."""
    return HttpResponse("ok", content_type="text/plain")


class QueryCountMiddleware:
    """Only under HUB_BENCH: tell the load generator how many queries each request cost."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Hub-Queries"] = str(count)
        return response
