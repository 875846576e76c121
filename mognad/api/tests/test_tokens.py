"""Personal API tokens (mognad/api/tokens.py): creation, storage, revocation, lookup."""

from __future__ import annotations

import hashlib
import math

import pytest

from mognad.api import tokens
from mognad.api.models import ApiToken
from mognad.orgs.models import AuditEvent


def test_a_token_has_at_least_128_bits_and_only_its_sha256_is_stored(alice):
    created = tokens.create_token(alice, name="Dashboard", days=90)
    secret = created.secret
    random_part = secret.removeprefix(tokens.PREFIX)
    assert len(random_part) * math.log2(64) >= 128
    stored = ApiToken.objects.get(pk=created.token.pk)
    assert stored.sha256 == hashlib.sha256(secret.encode()).hexdigest()
    row = [str(value) for value in ApiToken.objects.filter(pk=stored.pk).values().get().values()]
    assert not any(random_part in value for value in row)


def test_two_tokens_are_never_the_same(alice):
    first = tokens.create_token(alice, name="A", days=30).secret
    second = tokens.create_token(alice, name="B", days=30).secret
    assert first != second


def test_a_token_expires_after_the_chosen_number_of_days(alice):
    token = tokens.create_token(alice, name="Dashboard", days=180).token
    assert (token.expires_at - token.created_at).days == 180


def test_a_lifetime_that_is_not_offered_is_refused(alice):
    with pytest.raises(ValueError, match="days"):
        tokens.create_token(alice, name="Forever", days=10_000)
    assert not ApiToken.objects.exists()


def test_creating_and_revoking_are_audited(alice):
    token = tokens.create_token(alice, name="Dashboard", days=30).token
    assert tokens.revoke_token(token, by=alice) is True
    actions = list(AuditEvent.objects.filter(actor=alice).values_list("action", "target"))
    assert ("api_token.create", "Dashboard") in actions
    assert ("api_token.revoke", "Dashboard") in actions


def test_revoking_twice_changes_nothing_the_second_time(alice):
    token = tokens.create_token(alice, name="Dashboard", days=30).token
    tokens.revoke_token(token, by=alice)
    first = ApiToken.objects.get(pk=token.pk).revoked_at
    assert tokens.revoke_token(token, by=alice) is False
    assert ApiToken.objects.get(pk=token.pk).revoked_at == first
    assert AuditEvent.objects.filter(action="api_token.revoke").count() == 1


def test_a_user_cannot_hold_more_than_the_maximum_of_active_tokens(alice, monkeypatch):
    monkeypatch.setattr(tokens, "MAX_ACTIVE", 2)
    tokens.create_token(alice, name="A", days=30)
    tokens.create_token(alice, name="B", days=30)
    with pytest.raises(tokens.TokenError):
        tokens.create_token(alice, name="C", days=30)
    assert ApiToken.objects.filter(user=alice).count() == 2


def test_the_lookup_finds_the_owner_only_for_a_usable_token(alice):
    created = tokens.create_token(alice, name="A", days=30)
    assert tokens.user_for(created.secret) == alice
    assert tokens.user_for(created.secret + "x") is None
    assert tokens.user_for("") is None
    tokens.revoke_token(created.token, by=alice)
    assert tokens.user_for(created.secret) is None


def test_only_the_owner_can_get_a_token_by_id(alice, charlie):
    from django.http import Http404

    token = tokens.create_token(alice, name="A", days=30).token
    assert tokens.get_token_for_user(alice, token.pk) == token
    for user, token_id in ((charlie, token.pk), (alice, "abc"), (alice, 10**6)):
        with pytest.raises(Http404):
            tokens.get_token_for_user(user, token_id)
