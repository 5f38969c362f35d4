from django.db import migrations, models


def fill_techniques_done(apps, schema_editor):
    """Sessions logged before the field existed: from their completed steps."""
    TreatmentSession = apps.get_model("journal", "TreatmentSession")
    SessionStep = apps.get_model("journal", "SessionStep")
    done: dict = {}
    steps = SessionStep.objects.filter(completed=True).values_list("session_id", "technique_id")
    for session, technique in steps.iterator():
        done.setdefault(session, set()).add(technique)
    changed = []
    for session in TreatmentSession.objects.filter(pk__in=done).only("pk").iterator():
        session.techniques_done = ",".join(map(str, sorted(done[session.pk])))
        changed.append(session)
    TreatmentSession.objects.bulk_update(changed, ["techniques_done"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("journal", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="treatmentsession",
            name="techniques_done",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text=(
                    "The ids of the techniques its completed steps did, sorted and "
                    "comma-separated (see techniques_key): what 'what helps you' counts, "
                    "grouped in the database without reading every step. Set when it is "
                    "saved; logged sessions are never edited."
                ),
                max_length=255,
            ),
        ),
        migrations.RunPython(fill_techniques_done, migrations.RunPython.noop),
    ]
