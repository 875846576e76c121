"""Mognad's URLs plus `/bench/trivial/`: the smallest Django view, through the same middleware, as
the yardstick the answer-page saves are compared with (product.md §9)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from mognad.urls import handler400, handler403, handler404, handler500  # noqa: F401
from mognad.urls import urlpatterns as product_urlpatterns


def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/trivial/", trivial), *product_urlpatterns]
