"""Two-factor secrets are encrypted at rest (mognad/platform/fields.py, written as
mognad/orgs/fields.py at the time): widen the column, then encrypt the secrets stored in clear text
so far."""

from django.db import migrations

import mognad.platform.fields


def encrypt_stored_secrets(apps, schema_editor):
    User = apps.get_model("orgs", "User")
    # Reading a secret without the prefix gives it back as it is; saving encrypts it.
    for user in User.objects.using(schema_editor.connection.alias).exclude(totp_secret=""):
        user.save(update_fields=["totp_secret"])


def decrypt_stored_secrets(apps, schema_editor):
    User = apps.get_model("orgs", "User")
    table = schema_editor.connection.ops.quote_name(User._meta.db_table)
    users = list(User.objects.using(schema_editor.connection.alias).exclude(totp_secret=""))
    if any(isinstance(user.totp_secret, mognad.platform.fields.Unreadable) for user in users):
        raise RuntimeError(
            "Some two-factor secrets cannot be decrypted with MOGNAD_SECRET_KEY: add the key they "
            "were encrypted with to MOGNAD_SECRET_KEY_FALLBACKS before migrating back."
        )
    with schema_editor.connection.cursor() as cursor:
        for user in users:
            cursor.execute(
                f"UPDATE {table} SET totp_secret = %s WHERE id = %s",  # noqa: S608
                [user.totp_secret, user.pk],
            )


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0003_load_registry"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="totp_secret",
            field=mognad.platform.fields.EncryptedCharField(blank=True, max_length=255),
        ),
        migrations.RunPython(encrypt_stored_secrets, decrypt_stored_secrets),
    ]
