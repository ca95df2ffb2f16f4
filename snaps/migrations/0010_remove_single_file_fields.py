from django.db import migrations, models

import snaps.validators


class Migration(migrations.Migration):
    """Step 3 of 3: the snap's own file columns go (their text is in SnapFile now).
    Defaults first, so that migrating backwards can re-add the columns to existing rows
    before 0009's reverse fills them from the first file."""

    dependencies = [
        ("snaps", "0009_snap_files_data"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="snap",
            name="snaps_snap_search_idx",
        ),
        migrations.AlterField(
            model_name="snap",
            name="name",
            field=models.CharField(default="", max_length=128, validators=[snaps.validators.validate_name]),
        ),
        migrations.AlterField(
            model_name="snap",
            name="extension",
            field=models.CharField(default="", max_length=12, validators=[snaps.validators.validate_extension]),
        ),
        migrations.AlterField(
            model_name="snap",
            name="content",
            field=models.TextField(default="", validators=[snaps.validators.validate_content]),
        ),
        migrations.AlterField(
            model_name="snaprevision",
            name="name",
            field=models.CharField(default="", max_length=128),
        ),
        migrations.AlterField(
            model_name="snaprevision",
            name="extension",
            field=models.CharField(default="", max_length=12),
        ),
        migrations.AlterField(
            model_name="snaprevision",
            name="content",
            field=models.TextField(default=""),
        ),
        migrations.RemoveField(model_name="snap", name="name"),
        migrations.RemoveField(model_name="snap", name="extension"),
        migrations.RemoveField(model_name="snap", name="language"),
        migrations.RemoveField(model_name="snap", name="content"),
        migrations.RemoveField(model_name="snaprevision", name="name"),
        migrations.RemoveField(model_name="snaprevision", name="extension"),
        migrations.RemoveField(model_name="snaprevision", name="language"),
        migrations.RemoveField(model_name="snaprevision", name="content"),
    ]
