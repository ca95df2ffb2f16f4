from django.db import migrations

BATCH = 1000
FILE_FIELDS = ("name", "extension", "language", "content")


def to_files(apps, schema_editor):
    """Each single-file snap becomes a snap with one file; each revision keeps its one file."""
    Snap = apps.get_model("snaps", "Snap")
    SnapFile = apps.get_model("snaps", "SnapFile")
    SnapRevision = apps.get_model("snaps", "SnapRevision")
    batch = []
    for snap in Snap.objects.order_by("pk").iterator(chunk_size=BATCH):
        batch.append(SnapFile(snap_id=snap.pk, position=0, **{f: getattr(snap, f) for f in FILE_FIELDS}))
        if len(batch) >= BATCH:
            SnapFile.objects.bulk_create(batch)
            batch = []
    SnapFile.objects.bulk_create(batch)
    changed = []
    for revision in SnapRevision.objects.order_by("pk").iterator(chunk_size=BATCH):
        revision.files = [{f: getattr(revision, f) for f in FILE_FIELDS}]
        changed.append(revision)
        if len(changed) >= BATCH:
            SnapRevision.objects.bulk_update(changed, ["files"])
            changed = []
    SnapRevision.objects.bulk_update(changed, ["files"])


def to_single_file(apps, schema_editor):
    """Back to one file per snap: the first file is put back (later files cannot be)."""
    Snap = apps.get_model("snaps", "Snap")
    SnapFile = apps.get_model("snaps", "SnapFile")
    SnapRevision = apps.get_model("snaps", "SnapRevision")
    snaps = []
    for file in SnapFile.objects.filter(position=0).select_related("snap").order_by("pk").iterator(chunk_size=BATCH):
        for f in FILE_FIELDS:
            setattr(file.snap, f, getattr(file, f))
        snaps.append(file.snap)
        if len(snaps) >= BATCH:
            Snap.objects.bulk_update(snaps, FILE_FIELDS)
            snaps = []
    Snap.objects.bulk_update(snaps, FILE_FIELDS)
    changed = []
    for revision in SnapRevision.objects.order_by("pk").iterator(chunk_size=BATCH):
        first = (revision.files or [{}])[0]
        for f in FILE_FIELDS:
            setattr(revision, f, first.get(f, ""))
        changed.append(revision)
        if len(changed) >= BATCH:
            SnapRevision.objects.bulk_update(changed, FILE_FIELDS)
            changed = []
    SnapRevision.objects.bulk_update(changed, FILE_FIELDS)


class Migration(migrations.Migration):
    """Step 2 of 3: copy each snap's (and revision's) one file; reversible."""

    dependencies = [
        ("snaps", "0008_snapfile"),
    ]

    operations = [
        migrations.RunPython(to_files, to_single_file, elidable=False),
    ]
