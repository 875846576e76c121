"""Closed measurements without stored results are due for scoring.

Before the hand-off through `Measurement.scoring_due`, closing queued a django-tasks task in the
surveys app, which no longer exists: a measurement closed while its task waited would never be
scored. Every closed measurement gets at least the organization's result when scored, so one
without any result was not scored yet; the worker's job scores it now. Backwards: nothing to undo
(the flag's column goes with surveys' migration 0003).
"""

from django.db import migrations


def mark_unscored_due(apps, schema_editor):
    Measurement = apps.get_model('surveys', 'Measurement')
    MeasurementResult = apps.get_model('results', 'MeasurementResult')
    db = schema_editor.connection.alias
    scored = MeasurementResult.objects.using(db).values('measurement_id')
    Measurement.objects.using(db).filter(state='closed').exclude(pk__in=scored).update(
        scoring_due=True, scoring_claimed_at=None
    )


class Migration(migrations.Migration):

    dependencies = [
        ('results', '0002_measurementresult_measurementscore'),
        ('surveys', '0003_measurement_scoring_due'),
    ]

    operations = [
        migrations.RunPython(mark_unscored_due, migrations.RunPython.noop),
    ]
