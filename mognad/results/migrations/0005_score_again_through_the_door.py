"""Results stored before disclosure control are removed and scored again through the door.

Earlier results stored every group and statement and hid small ones where they were shown; the
door now decides at scoring time and only released figures are stored, so old rows would be shown
as they are. They are deleted (scores first, then results) and every closed measurement is marked
due: the worker's job scores it through the door. Backwards: nothing to restore (the results can
be computed again with `mognad results rescore`).
"""

from django.db import migrations


def score_again(apps, schema_editor):
    Measurement = apps.get_model('surveys', 'Measurement')
    MeasurementResult = apps.get_model('results', 'MeasurementResult')
    MeasurementScore = apps.get_model('results', 'MeasurementScore')
    MeasurementRelease = apps.get_model('results', 'MeasurementRelease')
    db = schema_editor.connection.alias
    released = MeasurementRelease.objects.using(db).values('measurement_id')
    old = MeasurementResult.objects.using(db).exclude(measurement_id__in=released)
    due = set(old.values_list('measurement_id', flat=True))
    MeasurementScore.objects.using(db).filter(result__in=old).delete()
    old.delete()
    Measurement.objects.using(db).filter(state='closed', pk__in=due).update(
        scoring_due=True, scoring_claimed_at=None
    )


class Migration(migrations.Migration):

    dependencies = [
        ('results', '0004_measurement_release'),
        ('surveys', '0007_measurement_results_released_at'),
    ]

    operations = [
        migrations.RunPython(score_again, migrations.RunPython.noop),
    ]
