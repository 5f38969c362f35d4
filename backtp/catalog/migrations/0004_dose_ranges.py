"""Doses become ranges: each old number becomes both ends of its range (min = max), so no
data is lost; the fixtures then give the ranges the sources state."""

from decimal import Decimal

import django.core.validators
from django.db import migrations, models
from django.db.models import F

DOSES = ("hold_seconds", "repetitions", "strokes", "minutes_per_side", "times_per_day")


def copy_min_to_max(apps, schema_editor):
    Technique = apps.get_model("catalog", "Technique")
    Technique.objects.update(**{f"{dose}_max": F(f"{dose}_min") for dose in DOSES})
    Routine = apps.get_model("catalog", "Routine")
    Routine.objects.update(times_per_day_max=F("times_per_day_min"))


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0003_trigger_point_prior"),
    ]

    operations = [
        *(
            migrations.RemoveConstraint(model_name="technique", name=f"technique_{dose}_positive")
            for dose in DOSES
        ),
        migrations.RemoveConstraint(model_name="technique", name="technique_has_a_dose"),
        # Renamed, not added: the old single value stays, as the lower end.
        *(
            migrations.RenameField(model_name="technique", old_name=dose, new_name=f"{dose}_min")
            for dose in DOSES
        ),
        migrations.RenameField(
            model_name="routine", old_name="times_per_day", new_name="times_per_day_min"
        ),
        migrations.AddField(
            model_name='routine',
            name='times_per_day_max',
            field=models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(10)], verbose_name='most times a day'),
        ),
        migrations.AddField(
            model_name='technique',
            name='hold_seconds_max',
            field=models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(5), django.core.validators.MaxValueValidator(120)], verbose_name='longest hold (s)'),
        ),
        migrations.AddField(
            model_name='technique',
            name='minutes_per_side_max',
            field=models.DecimalField(blank=True, decimal_places=1, max_digits=3, null=True, validators=[django.core.validators.MinValueValidator(Decimal('0.5')), django.core.validators.MaxValueValidator(Decimal('5'))], verbose_name='most minutes per side'),
        ),
        migrations.AddField(
            model_name='technique',
            name='repetitions_max',
            field=models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(10)], verbose_name='most repetitions'),
        ),
        migrations.AddField(
            model_name='technique',
            name='strokes_max',
            field=models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(30)], verbose_name='most strokes'),
        ),
        migrations.AddField(
            model_name='technique',
            name='times_per_day_max',
            field=models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(10)], verbose_name='most times a day'),
        ),
        migrations.AlterField(
            model_name='routine',
            name='times_per_day_min',
            field=models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(10)], verbose_name='fewest times a day'),
        ),
        migrations.AlterField(
            model_name='technique',
            name='hold_seconds_min',
            field=models.PositiveSmallIntegerField(blank=True, help_text='Length of one hold, when the technique holds.', null=True, validators=[django.core.validators.MinValueValidator(5), django.core.validators.MaxValueValidator(120)], verbose_name='shortest hold (s)'),
        ),
        migrations.AlterField(
            model_name='technique',
            name='minutes_per_side_min',
            field=models.DecimalField(blank=True, decimal_places=1, max_digits=3, null=True, validators=[django.core.validators.MinValueValidator(Decimal('0.5')), django.core.validators.MaxValueValidator(Decimal('5'))], verbose_name='fewest minutes per side'),
        ),
        migrations.AlterField(
            model_name='technique',
            name='repetitions_min',
            field=models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(10)], verbose_name='fewest repetitions'),
        ),
        migrations.AlterField(
            model_name='technique',
            name='strokes_min',
            field=models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(30)], verbose_name='fewest strokes'),
        ),
        migrations.AlterField(
            model_name='technique',
            name='times_per_day_min',
            field=models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(10)], verbose_name='fewest times a day'),
        ),
        # Going back, the rename keeps each lower end as the single value.
        migrations.RunPython(copy_min_to_max, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='routine',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('times_per_day_max__isnull', True), ('times_per_day_min__isnull', True)), models.Q(('times_per_day_max__gte', models.F('times_per_day_min')), ('times_per_day_max__isnull', False), ('times_per_day_min__gt', 0), ('times_per_day_min__isnull', False)), _connector='OR'), name='routine_times_per_day_range', violation_error_message='Give both ends of the times per day range, above zero, the lower one first (the same number twice for a single value).'),
        ),
        migrations.AddConstraint(
            model_name='technique',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('hold_seconds_max__isnull', True), ('hold_seconds_min__isnull', True)), models.Q(('hold_seconds_max__gte', models.F('hold_seconds_min')), ('hold_seconds_max__isnull', False), ('hold_seconds_min__gt', 0), ('hold_seconds_min__isnull', False)), _connector='OR'), name='technique_hold_seconds_range', violation_error_message='Give both ends of the hold seconds range, above zero, the lower one first (the same number twice for a single value).'),
        ),
        migrations.AddConstraint(
            model_name='technique',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('repetitions_max__isnull', True), ('repetitions_min__isnull', True)), models.Q(('repetitions_max__gte', models.F('repetitions_min')), ('repetitions_max__isnull', False), ('repetitions_min__gt', 0), ('repetitions_min__isnull', False)), _connector='OR'), name='technique_repetitions_range', violation_error_message='Give both ends of the repetitions range, above zero, the lower one first (the same number twice for a single value).'),
        ),
        migrations.AddConstraint(
            model_name='technique',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('strokes_max__isnull', True), ('strokes_min__isnull', True)), models.Q(('strokes_max__gte', models.F('strokes_min')), ('strokes_max__isnull', False), ('strokes_min__gt', 0), ('strokes_min__isnull', False)), _connector='OR'), name='technique_strokes_range', violation_error_message='Give both ends of the strokes range, above zero, the lower one first (the same number twice for a single value).'),
        ),
        migrations.AddConstraint(
            model_name='technique',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('minutes_per_side_max__isnull', True), ('minutes_per_side_min__isnull', True)), models.Q(('minutes_per_side_max__gte', models.F('minutes_per_side_min')), ('minutes_per_side_max__isnull', False), ('minutes_per_side_min__gt', 0), ('minutes_per_side_min__isnull', False)), _connector='OR'), name='technique_minutes_per_side_range', violation_error_message='Give both ends of the minutes per side range, above zero, the lower one first (the same number twice for a single value).'),
        ),
        migrations.AddConstraint(
            model_name='technique',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('times_per_day_max__isnull', True), ('times_per_day_min__isnull', True)), models.Q(('times_per_day_max__gte', models.F('times_per_day_min')), ('times_per_day_max__isnull', False), ('times_per_day_min__gt', 0), ('times_per_day_min__isnull', False)), _connector='OR'), name='technique_times_per_day_range', violation_error_message='Give both ends of the times per day range, above zero, the lower one first (the same number twice for a single value).'),
        ),
        migrations.AddConstraint(
            model_name='technique',
            constraint=models.CheckConstraint(condition=models.Q(('hold_seconds_min__isnull', False), ('strokes_min__isnull', False), ('minutes_per_side_min__isnull', False), _connector='OR'), name='technique_has_a_dose'),
        ),
    ]
