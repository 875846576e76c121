"""orgs/audit.py: the audit() function and the event list."""

import pytest

from mognad.orgs.audit import audit, events_for


@pytest.mark.django_db
def test_it_records_who_did_what_to_which_organization_with_details(alice, ankeby):
    event = audit("unit.renamed", by=alice, organization=ankeby, target="Socialtjänsten", old="Soc")
    assert (event.actor, event.actor_email, event.organization) == (
        alice,
        "alice@ankeby.se",
        ankeby,
    )
    assert event.details == {"old": "Soc"}


@pytest.mark.django_db
def test_the_actors_email_stays_after_the_actor_is_deleted(alice, ankeby):
    event = audit("member.removed", by=alice, organization=ankeby)
    alice.delete()
    event.refresh_from_db()
    assert (event.actor, event.actor_email) == (None, "alice@ankeby.se")


@pytest.mark.django_db
def test_events_are_listed_newest_first_per_organization_or_all(alice, charlie, ankeby, bebyholm):
    first = audit("a", by=alice, organization=ankeby)
    second = audit("b", by=alice, organization=ankeby)
    other = audit("c", by=charlie, organization=bebyholm)
    assert list(events_for(ankeby)) == [second, first]
    assert list(events_for(None)) == [other, second, first]
