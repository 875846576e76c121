"""Insiders: every organization gets the e-mail domains its people already use.

Respondents' addresses must now belong to the organization's own domains (mognad/orgs/domains.py).
So that nothing that worked before breaks, each organization without domains gets those of its
respondents' and key users' addresses (erased addresses left out). Key users can narrow them later;
each change is audited.
"""

from django.db import migrations

ERASED = ("erased:", "erased-")


def _domain(email):
    if email.startswith(ERASED) or "@" not in email:
        return None
    domain = email.rpartition("@")[2].strip().lower()
    return None if not domain or domain == "erased.invalid" else domain


def derive(apps, schema_editor):
    Organization = apps.get_model("orgs", "Organization")
    Respondent = apps.get_model("surveys", "Respondent")
    Membership = apps.get_model("orgs", "Membership")
    found = {}
    rows = Respondent.objects.values_list("measurement__organization_id", "email")
    keys = Membership.objects.filter(role="key_user").values_list("organization_id", "user__email")
    for org_id, email in [*rows.iterator(), *keys.iterator()]:
        domain = _domain(email)
        if domain:
            found.setdefault(org_id, set()).add(domain)
    for org in Organization.objects.filter(email_domains="", pk__in=list(found)):
        org.email_domains = "\n".join(sorted(found[org.pk]))
        org.save(update_fields=["email_domains"])


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0006_email_domains"),
        ("surveys", "0008_measurement_sampling"),
    ]

    operations = [migrations.RunPython(derive, migrations.RunPython.noop)]
