"""Stored tallies of survey answers (the results page counts from them), made for the answers
already given; an index to count responses by agency and role; no separate indexes of an
answer's question and survey (the (survey, question, value) index leads with both)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count


def count_given_answers(apps, schema_editor):
    """The tallies of every survey's answers so far (as `services.recount` makes them)."""
    answer = apps.get_model("surveys", "Answer")
    tally = apps.get_model("surveys", "Tally")
    counted = answer.objects.exclude(question__kind="text").order_by()
    rows = [
        tally(survey_id=s, question_id=q, agency_id=a, role=r, value=v, n=n)
        for s, q, a, r, v, n in counted.values_list(
            "survey_id", "question_id", "agency_id", "role", "value"
        ).annotate(n=Count("id"))
    ] + [
        tally(survey_id=s, question_id=q, agency_id=a, role=r, value="", n=n)
        for s, q, a, r, n in counted.values_list(
            "survey_id", "question_id", "agency_id", "role"
        ).annotate(n=Count("response_id", distinct=True))
    ]
    tally.objects.bulk_create(rows, batch_size=2000)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_identity_mfa_reset_role_approval'),
        ('surveys', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='Tally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(blank=True, max_length=20)),
                ('value', models.TextField(blank=True)),
                ('n', models.PositiveIntegerField()),
                ('agency', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.agency')),
                ('question', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='surveys.question')),
                ('survey', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='surveys.survey')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('question', 'agency', 'role', 'value'), name='survey_tally_unique')],
            },
        ),
        migrations.AddIndex(
            model_name="response",
            index=models.Index(
                fields=["survey", "agency", "role"], name="surveys_res_survey__81721b_idx"
            ),
        ),
        migrations.AlterField(
            model_name="answer",
            name="question",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="answers",
                to="surveys.question",
            ),
        ),
        migrations.AlterField(
            model_name="answer",
            name="survey",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="surveys.survey",
            ),
        ),
        migrations.RunPython(count_given_answers, migrations.RunPython.noop, elidable=True),
    ]
