"""A published instrument version is immutable; it knows its parsed definition and the latest."""

from __future__ import annotations

import pytest

from mognad.instrument.actions import publish_instrument
from mognad.instrument.models import ImmutableError, InstrumentItem, InstrumentVersion
from mognad.instrument.tests.factories import minimal_yaml

pytestmark = pytest.mark.django_db


@pytest.fixture
def published():
    return publish_instrument(minimal_yaml(version="1.0"))


def test_changing_a_published_version_is_refused(published):
    published.source = published.source.replace("Tiny survey", "Changed")
    with pytest.raises(ImmutableError, match=r"tiny@1\.0 is published and cannot be changed"):
        published.save()
    assert "Tiny survey" in InstrumentVersion.objects.get().source


def test_saving_an_unchanged_version_is_harmless(published):
    published.save()
    assert InstrumentVersion.objects.get().sha256 == published.sha256


def test_deleting_a_published_version_is_refused(published):
    with pytest.raises(ImmutableError, match="cannot be deleted"):
        published.delete()
    assert InstrumentVersion.objects.count() == 1


def test_bulk_update_and_delete_are_refused(published):
    with pytest.raises(ImmutableError):
        InstrumentVersion.objects.filter(pk=published.pk).update(name_en="Other")
    with pytest.raises(ImmutableError):
        InstrumentVersion.objects.all().delete()
    with pytest.raises(ImmutableError):
        InstrumentItem.objects.filter(version=published).update(capability_id="elsewhere")
    with pytest.raises(ImmutableError):
        published.items.all().delete()
    assert InstrumentItem.objects.filter(capability_id="elsewhere").count() == 0
    assert InstrumentItem.objects.count() == 5


def test_changing_an_item_row_is_refused(published):
    item = published.items.first()
    item.capability_id = "elsewhere"
    with pytest.raises(ImmutableError):
        item.save()


def test_definition_is_the_parsed_instrument_and_is_cached(published):
    again = InstrumentVersion.objects.get()
    assert again.definition() is published.definition()
    assert again.definition().key == "tiny@1.0"
    assert again.name.en == "Tiny survey"


def test_latest_compares_versions_numerically():
    for version in ("1.2", "1.10", "1.9"):
        publish_instrument(minimal_yaml(version=version))
    assert InstrumentVersion.latest("tiny").version == "1.10"


def test_latest_defaults_to_the_standard_instrument():
    publish_instrument(minimal_yaml(slug="standard", version="2026.1"))
    publish_instrument(minimal_yaml(slug="pulse", version="2030.1"))
    assert InstrumentVersion.latest().key == "standard@2026.1"


def test_latest_without_any_published_version_says_how_to_publish():
    with pytest.raises(InstrumentVersion.DoesNotExist, match="mognad instrument load"):
        InstrumentVersion.latest()
