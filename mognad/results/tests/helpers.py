from __future__ import annotations

from django.urls import reverse


def url(name, org, **query):
    base = reverse(f"results:{name}", args=[org.slug])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
