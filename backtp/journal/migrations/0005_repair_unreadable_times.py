"""Sessions whose times Python cannot read (stored before the log endpoint checked them,
e.g. 9999-12-31T23:00-12:00, which is in year 10000 in UTC) broke every journal page of
their owner. Keep the session, with its pain scores and note, at the time it was saved."""

from datetime import datetime

from django.db import migrations
from django.db.models import TextField
from django.db.models.functions import Cast


def _readable(text: str | None) -> bool:
    try:
        datetime.fromisoformat(text or "")
    except ValueError:
        return False
    return True


def repair_unreadable_times(apps, schema_editor):
    TreatmentSession = apps.get_model("journal", "TreatmentSession")
    rows = TreatmentSession.objects.annotate(
        start=Cast("started_at", TextField()), end=Cast("finished_at", TextField())
    ).values_list("pk", "start", "end")
    broken = [pk for pk, start, end in rows.iterator() if not (_readable(start) and _readable(end))]
    for pk in broken:
        created = TreatmentSession.objects.filter(pk=pk).values_list("created", flat=True).get()
        TreatmentSession.objects.filter(pk=pk).update(started_at=created, finished_at=created)


class Migration(migrations.Migration):
    dependencies = [("journal", "0004_anonymous_owner")]

    operations = [migrations.RunPython(repair_unreadable_times, migrations.RunPython.noop)]
