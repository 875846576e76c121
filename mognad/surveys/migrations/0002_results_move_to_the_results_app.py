"""MeasurementResult and MeasurementScore now belong to the results app (its migration 0002).

State only: the tables stay as they are, under their old names, and keep every row. The results
app's migration 0002 declares the same two models over the same tables.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('surveys', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='MeasurementScore'),
                migrations.DeleteModel(name='MeasurementResult'),
            ],
            database_operations=[],
        ),
    ]
