"""The hand-off to the results app: a closed measurement is marked due for scoring.

The results app's migration 0003 marks the closed measurements that were never scored (their
scoring was a queued task of the worker before this change).
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('surveys', '0002_results_move_to_the_results_app'),
    ]

    operations = [
        migrations.AddField(
            model_name='measurement',
            name='scoring_claimed_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='measurement',
            name='scoring_due',
            field=models.BooleanField(default=False),
        ),
        migrations.AddIndex(
            model_name='measurement',
            index=models.Index(condition=models.Q(('scoring_due', True)), fields=['scoring_due'], name='measurement_scoring_due'),
        ),
    ]
