from wagtail import hooks

from .page_cache import mark_cacheable


@hooks.register("before_serve_page")
def allow_anonymous_page_cache(page, request, serve_args, serve_kwargs):
    """Only responses that went through Wagtail's page serving may be cached for visitors."""
    mark_cacheable(page, request)
