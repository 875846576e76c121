from django.db import migrations


def load(apps, schema_editor):
    from mognad.orgs.registry import load_registry

    # The database being migrated, which is not always the default one (migrate --database).
    load_registry(apps.get_model("orgs", "Organization"), using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("orgs", "0002_outbox_worker_invitations_totp")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
