"""`publish_instrument` validates, stores a version with its items, and never changes one."""

from __future__ import annotations

import pytest

from mognad.instrument.actions import publish_instrument
from mognad.instrument.loader import INSTRUMENTS_DIR, InstrumentError
from mognad.instrument.models import InstrumentItem, InstrumentVersion
from mognad.instrument.tests.factories import minimal_instrument, minimal_yaml, to_yaml
from mognad.platform.hashing import sha256_hex

pytestmark = pytest.mark.django_db

STANDARD = INSTRUMENTS_DIR / "standard" / "2026.1.yaml"


def test_it_publishes_the_standard_instrument_with_one_row_per_item():
    version = publish_instrument(STANDARD)

    assert version.key == "standard@2026.1"
    assert (version.name_sv, version.name_en) == ("Mognad standard", "Mognad standard")
    assert version.source == STANDARD.read_text(encoding="utf-8")
    assert version.sha256 == sha256_hex(version.source)
    items = list(version.items.all())
    assert [i.item_id for i in items] == list(version.definition().item_ids)
    assert [i.position for i in items] == list(range(len(items)))
    first = items[0]
    assert (first.item_id, first.capability_id, first.category_id, first.dimension_id) == (
        "eff.strategy",
        "eff.strategy",
        "efficiency",
        "capability",
    )
    assert {i.item_id for i in items if i.technical} >= {"tek.debt", "eff.infrastructure"}


def test_it_accepts_yaml_text_as_well_as_a_path(tmp_path):
    version = publish_instrument(minimal_yaml())
    assert version.key == "tiny@1.0"
    assert version.items.count() == 5


def test_it_records_who_published(alice):
    version = publish_instrument(minimal_yaml(), by=alice)
    assert version.published_by == str(alice)


def test_publishing_the_same_content_again_changes_nothing():
    first = publish_instrument(STANDARD)
    again = publish_instrument(STANDARD)
    assert again.pk == first.pk
    assert InstrumentVersion.objects.count() == 1
    assert InstrumentItem.objects.count() == len(first.definition().items)


def test_the_same_version_with_different_content_is_refused():
    publish_instrument(minimal_yaml())
    changed = minimal_instrument()
    changed["name"]["en"] = "A reworded name"

    with pytest.raises(InstrumentError) as caught:
        publish_instrument(to_yaml(changed))

    assert caught.value.errors == [
        "<text>: tiny version 1.0 is already published with different content; "
        "publish a new version"
    ]
    assert InstrumentVersion.objects.get().name_en == "Tiny survey"


def test_an_invalid_file_is_refused_and_nothing_is_stored(tmp_path):
    path = tmp_path / "broken.yaml"
    data = minimal_instrument()
    del data["types"]
    path.write_text(to_yaml(data), encoding="utf-8")

    with pytest.raises(InstrumentError) as caught:
        publish_instrument(path)

    assert caught.value.errors == [f"{path}: types: missing"]
    assert not InstrumentVersion.objects.exists()


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(InstrumentError) as caught:
        publish_instrument(tmp_path / "nowhere.yaml")
    assert caught.value.errors == [f"{tmp_path / 'nowhere.yaml'}: file not found"]


def test_a_later_version_may_reword_an_item_and_add_new_ones():
    publish_instrument(minimal_yaml(version="1.0"))
    later = minimal_instrument(version="1.1")
    capability = later["dimensions"][0]["categories"][0]["capabilities"][0]
    capability["items"][0]["text"]["sv"] = "Målen är tydliga"
    capability["items"].append({"id": "eff.new", "text": {"sv": "Nytt", "en": "New"}})

    version = publish_instrument(to_yaml(later))

    assert version.key == "tiny@1.1"
    assert "eff.new" in version.definition().item_ids
    assert InstrumentVersion.latest("tiny") == version


def test_an_item_id_moved_to_another_capability_is_refused():
    publish_instrument(minimal_yaml(version="1.0"))
    later = minimal_instrument(version="1.1")
    capabilities = later["dimensions"][0]["categories"][0]["capabilities"]
    capabilities[1]["items"].append(capabilities[0]["items"].pop())  # eff.plan moves

    with pytest.raises(InstrumentError) as caught:
        publish_instrument(to_yaml(later))

    assert caught.value.errors == [
        "<text>: item 'eff.plan' is in capability 'eff.security', but version 1.0 has it in "
        "capability 'eff.strategy'; an item id must stay in its capability, so give the moved "
        "statement a new id"
    ]
    assert not InstrumentVersion.objects.filter(version="1.1").exists()


def test_item_ids_of_other_instruments_do_not_constrain_each_other():
    publish_instrument(minimal_yaml(slug="tiny"))
    other = minimal_instrument(slug="other")
    capabilities = other["dimensions"][0]["categories"][0]["capabilities"]
    capabilities[1]["items"].append(capabilities[0]["items"].pop())
    assert publish_instrument(to_yaml(other)).key == "other@1.0"


def _first_check_misses(monkeypatch):
    """Simulate another process publishing between our check and our insert."""
    from mognad.instrument import actions

    real = actions._already_published
    calls = []

    def check(*args):
        calls.append(args)
        return None if len(calls) == 1 else real(*args)

    monkeypatch.setattr(actions, "_already_published", check)
    return calls


def test_a_concurrent_publish_of_the_same_content_returns_the_stored_version(monkeypatch):
    first = publish_instrument(minimal_yaml())
    calls = _first_check_misses(monkeypatch)

    again = publish_instrument(minimal_yaml())

    assert len(calls) == 2
    assert again.pk == first.pk
    assert InstrumentVersion.objects.count() == 1


def test_a_concurrent_publish_of_other_content_is_refused(monkeypatch):
    publish_instrument(minimal_yaml())
    _first_check_misses(monkeypatch)
    changed = minimal_instrument()
    changed["intro"]["en"] = "Hello"

    with pytest.raises(InstrumentError, match="already published with different content"):
        publish_instrument(to_yaml(changed))
    assert InstrumentVersion.objects.get().source == minimal_yaml()
