"""MeasurementResult and MeasurementScore move here from the surveys app (its migration 0002).

State only: the tables `surveys_measurementresult` and `surveys_measurementscore` keep their names
(`db_table`) and every row; nothing is copied. The content types are relabelled so that they follow
the models (on a new database they do not exist yet and nothing is changed).
"""

import django.db.models.deletion
from django.db import migrations, models

MODELS = ['measurementresult', 'measurementscore']


def relabel_content_types(from_app, to_app):
    def relabel(apps, schema_editor):
        ContentType = apps.get_model('contenttypes', 'ContentType')
        db = schema_editor.connection.alias
        for model in MODELS:
            if not ContentType.objects.using(db).filter(app_label=to_app, model=model).exists():
                ContentType.objects.using(db).filter(app_label=from_app, model=model).update(
                    app_label=to_app
                )

    return relabel


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('orgs', '0002_outbox_worker_invitations_totp'),
        ('results', '0001_initial'),
        ('surveys', '0002_results_move_to_the_results_app'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='MeasurementResult',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('group_kind', models.CharField(choices=[('organization', 'Organization'), ('unit', 'Unit'), ('role', 'Role')], max_length=12)),
                        ('group_key', models.CharField(blank=True, max_length=40)),
                        ('respondents', models.PositiveIntegerField()),
                        ('invited', models.PositiveIntegerField(blank=True, null=True)),
                        ('payload', models.JSONField(default=dict)),
                        ('computed_at', models.DateTimeField()),
                        ('measurement', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='results', to='surveys.measurement')),
                        ('unit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='orgs.unit')),
                    ],
                    options={
                        'db_table': 'surveys_measurementresult',
                        'ordering': ['group_kind', 'group_key'],
                        'constraints': [models.UniqueConstraint(fields=('measurement', 'group_kind', 'group_key'), name='one_result_per_group')],
                    },
                ),
                migrations.CreateModel(
                    name='MeasurementScore',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('node', models.CharField(choices=[('overall', 'Overall'), ('dimension', 'Dimension'), ('category', 'Category'), ('capability', 'Capability'), ('item', 'Item')], max_length=12)),
                        ('node_id', models.CharField(blank=True, max_length=100)),
                        ('score', models.FloatField(null=True)),
                        ('ci_low', models.FloatField(null=True)),
                        ('ci_high', models.FloatField(null=True)),
                        ('se', models.FloatField(null=True)),
                        ('n', models.PositiveIntegerField(default=0)),
                        ('dont_know', models.PositiveIntegerField(default=0)),
                        ('unanswered', models.PositiveIntegerField(default=0)),
                        ('result', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='scores', to='results.measurementresult')),
                    ],
                    options={
                        'db_table': 'surveys_measurementscore',
                        'ordering': ['id'],
                        'constraints': [models.UniqueConstraint(fields=('result', 'node', 'node_id'), name='one_score_per_node')],
                    },
                ),
            ],
            database_operations=[
                migrations.RunPython(
                    relabel_content_types('surveys', 'results'),
                    relabel_content_types('results', 'surveys'),
                ),
            ],
        ),
    ]
