"""The outbox page: the emails Mognad queued and whether they went (issue 13).

For national coordinators, and in debug mode (`make run`) for key users, who see the invitations
and reminders they trigger here instead of as raw MIME in the terminal. Outside debug mode every
secret in a link (answering links, password resets, invitations) is masked: a link lets its holder
answer as the respondent or take over an account.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from mognad.surveys.access import outbox_for_user

PAGE_SIZE = 50
# A path segment that looks like a secret: answering links, password resets, invitations.
_SECRET = re.compile(r"(?<=/)[A-Za-z0-9_-]{16,}(?=/|\s|$)")


def _masked(body: str) -> str:
    return body if settings.DEBUG else _SECRET.sub("…", body)


@login_required
@require_GET
def outbox(request: HttpRequest) -> HttpResponse:
    messages = outbox_for_user(request.user).order_by("-created_at", "-id")
    status = request.GET.get("status", "")
    if status in ("pending", "sending", "sent", "failed"):
        messages = messages.filter(status=status)
    page = Paginator(messages, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(message, _masked(message.body_text)) for message in page.object_list]
    return render(
        request,
        "surveys/outbox.html",
        {"page": page, "rows": rows, "status": status, "debug": settings.DEBUG},
    )
