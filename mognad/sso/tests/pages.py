"""Reading Mognad's "continue to your organization's login" page as a browser would."""

from __future__ import annotations

import html
import re
from typing import Any


def continue_url(response: Any) -> str:
    """The IdP address the page moves on to (its meta refresh and its link agree)."""
    assert response.status_code == 200, response.content.decode()[:300]
    page = response.content.decode()
    link = re.search(r'<a id="sso-continue" class="button" href="([^"]+)"', page)
    refresh = re.search(r'<meta http-equiv="refresh" content="0;url=([^"]+)"', page)
    assert link and refresh and link.group(1) == refresh.group(1), page[:500]
    return html.unescape(link.group(1))
