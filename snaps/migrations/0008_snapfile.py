import django.contrib.postgres.search
import django.db.models.deletion
import django.db.models.functions.text
from django.db import migrations, models

import project.search
import snaps.languages
import snaps.validators


class Migration(migrations.Migration):
    """Step 1 of 3 towards several files per snap: the new table and the revisions' files.
    Three migrations, so rows copied (0009) are committed before columns go (0010):
    PostgreSQL refuses to alter a table with pending deferred-constraint events."""

    dependencies = [
        ("snaps", "0007_merge_0002_search_index_0006_snap_anonymous"),
    ]

    operations = [
        migrations.CreateModel(
            name="SnapFile",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("position", models.PositiveSmallIntegerField(default=0)),
                ("name", models.CharField(max_length=128, validators=[snaps.validators.validate_name])),
                ("extension", models.CharField(max_length=12, validators=[snaps.validators.validate_extension])),
                ("language", models.CharField(blank=True, default="", max_length=64, validators=[snaps.languages.validate_language])),
                ("content", models.TextField(validators=[snaps.validators.validate_content])),
                ("snap", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="files", to="snaps.snap")),
            ],
            options={
                "ordering": ["position"],
                "indexes": [project.search.SearchIndex(django.contrib.postgres.search.CombinedSearchVector(django.contrib.postgres.search.SearchVector(django.db.models.functions.text.Left("name", 100000), config="english", weight="A"), "||", django.contrib.postgres.search.SearchVector(django.db.models.functions.text.Left("content", 100000), config="english", weight="B"), django.contrib.postgres.search.SearchConfig("english")), name="snaps_file_search_idx")],
                "constraints": [models.UniqueConstraint(fields=("snap", "position"), name="snaps_file_position_unique")],
            },
        ),
        migrations.AddField(
            model_name="snaprevision",
            name="files",
            field=models.JSONField(default=list),
        ),
    ]
