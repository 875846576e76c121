"""The site icon: an SVG linked from every page, /favicon.ico for browsers that ask on their own."""

from __future__ import annotations

import io
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.contrib.staticfiles import finders
from PIL import Image


def test_favicon_ico_answers_with_a_real_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert "max-age" in response["Cache-Control"]
    body = response.content
    assert body[:4] == b"\x00\x00\x01\x00", "not an ICO file"
    icon = Image.open(io.BytesIO(body))
    assert icon.format == "ICO"
    assert {(16, 16), (32, 32)} <= set(icon.info["sizes"])


def test_favicon_ico_is_read_only(client, db):
    assert client.post("/favicon.ico").status_code == 405


@pytest.mark.parametrize("address", ["/", "/accounts/login/", "/cookies/", "/no-such-page/"])
def test_pages_link_the_svg_icon_and_it_is_served(client, db, address):
    html = client.get(address).content.decode()
    links = re.findall(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', html)
    assert len(links) == 1, f"{address} links {links}"
    served = client.get(links[0])
    assert served.status_code == 200
    svg = b"".join(served.streaming_content) if served.streaming else served.content
    root = ElementTree.fromstring(svg)  # noqa: S314 (our own file)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == "0 0 32 32"


def test_the_svg_has_no_script():
    path = finders.find("favicon.svg")
    assert path
    text = Path(path).read_text(encoding="utf-8")
    assert "<script" not in text and "href" not in text
