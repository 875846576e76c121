"""Two-factor secrets are encrypted at rest (platform/fields.py) and survive a key rotation."""

import importlib

import pyotp
import pytest
from django.apps import apps
from django.db import connection

from mognad.orgs import twofactor
from mognad.orgs.models import User
from mognad.platform.fields import PREFIX, UNREADABLE

pytestmark = pytest.mark.django_db


def _stored(user: User) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT totp_secret FROM orgs_user WHERE id = %s", [user.pk])
        (value,) = cursor.fetchone()
    return str(value)


def _fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def test_the_database_holds_only_ciphertext_and_the_user_reads_the_secret(nadia):
    secret = _fresh(nadia).totp_secret
    stored = _stored(nadia)
    assert stored.startswith(PREFIX) and secret not in stored
    assert pyotp.TOTP(secret).now()  # a valid base32 secret came back


def test_encrypting_the_same_secret_twice_gives_different_ciphertext(nadia):
    first = _stored(nadia)
    _fresh(nadia).save(update_fields=["totp_secret"])
    assert _stored(nadia) != first
    assert _fresh(nadia).totp_secret == nadia.totp_secret


def test_secrets_survive_a_key_rotation_through_the_fallbacks(nadia, settings):
    secret = nadia.totp_secret
    old = settings.SECRET_KEY
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "a-brand-new-secret-key" * 3, [old]
    user = _fresh(nadia)
    assert user.totp_secret == secret
    user.save(update_fields=["totp_secret"])  # re-encrypted under the new key
    settings.SECRET_KEY_FALLBACKS = []
    assert _fresh(nadia).totp_secret == secret


def test_a_secret_under_a_lost_key_locks_the_second_step_instead_of_skipping_it(nadia, settings):
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "an-unrelated-secret-key" * 3, []
    user = _fresh(nadia)
    assert user.totp_secret == UNREADABLE
    assert user.has_totp  # two-factor authentication stays required …
    assert not twofactor.code_is_valid(user.totp_secret, pyotp.TOTP(nadia.totp_secret).now())


def test_the_migration_encrypts_secrets_stored_in_clear_text(nadia):
    secret = nadia.totp_secret
    with connection.cursor() as cursor:
        cursor.execute("UPDATE orgs_user SET totp_secret = %s WHERE id = %s", [secret, nadia.pk])
    assert _fresh(nadia).totp_secret == secret  # clear text from before still reads

    migration = importlib.import_module("mognad.orgs.migrations.0004_encrypt_totp_secrets")

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    migration.encrypt_stored_secrets(apps, editor)
    assert _stored(nadia).startswith(PREFIX)
    assert _fresh(nadia).totp_secret == secret


def test_saving_a_user_whose_secret_is_unreadable_keeps_it_for_when_the_key_returns(
    nadia, settings
):
    secret, old = nadia.totp_secret, settings.SECRET_KEY
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "an-unrelated-secret-key" * 3, []
    user = _fresh(nadia)
    assert user.totp_secret == UNREADABLE
    user.name = "Nadia N."
    user.save()  # a full save, secret included
    settings.SECRET_KEY_FALLBACKS = [old]
    assert _fresh(nadia).totp_secret == secret
