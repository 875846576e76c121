from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from mognad.instrument.queries import published_version, published_versions


def preview(request: HttpRequest) -> HttpResponse:
    """The questionnaire as respondents will read it, with types and glossary (public)."""
    requested = request.GET.get("version") or None
    version = published_version("standard", requested)
    if version is None and requested is not None:
        raise Http404("No such instrument version.")
    context = {
        "version": version,
        "instrument": version.definition() if version else None,
        "versions": published_versions("standard"),
    }
    return render(request, "instrument/preview.html", context)
