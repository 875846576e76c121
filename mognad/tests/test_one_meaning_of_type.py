"""One meaning for each word: "organisationstyp" said both the kind of organization (kommun,
region, …) and the four maturity types of the matrix. Now the kind is "organisationsslag" (kind of
organization) and the quadrant "mognadstyp" (maturity type), in Swedish and English, on every
page, export, PDF and the national pages; "organisationstyp" / "organization type" is said
nowhere."""

from __future__ import annotations

import polib
import pytest

from mognad.i18n import catalogues
from mognad.orgs.models import Organization
from mognad.results.models import PeerGroup


@pytest.mark.parametrize("path", catalogues(), ids=lambda p: str(p.parent.parent.parent.parent))
def test_no_catalogue_says_organization_type(path):
    found = []
    for entry in polib.pofile(str(path)):
        if entry.obsolete:
            continue
        texts = [entry.msgid, entry.msgid_plural, entry.msgstr, *entry.msgstr_plural.values()]
        said = " ".join(t for t in texts if t).lower()
        if "organisationstyp" in said or "organization type" in said:
            found.append(entry.msgid)
    assert found == []


def test_the_kind_and_the_type_have_their_own_names(settings):
    from django.utils import translation

    with translation.override("sv"):
        assert str(Organization._meta.get_field("kind").verbose_name) == "organisationsslag"
        assert str(PeerGroup.KIND.label) == "Organisationsslag"
    with translation.override("en"):
        assert str(PeerGroup.KIND.label) == "Kind of organization"
