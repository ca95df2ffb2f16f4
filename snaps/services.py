"""Writes. Every snap change goes through here."""

import logging
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.utils import timezone

from project import pagecache
from project.deletion import delete_or_404
from project.tags import tags_by_slug
from snaps.authorship import is_author, token_hash
from snaps.languages import resolve_language
from snaps.models import FILE_FIELDS, Snap, SnapFile, SnapTag, new_hash_key
from snaps.validators import validate_files_total
from social import services as social_services

logger = logging.getLogger(__name__)

HASH_KEY_ATTEMPTS = 5
# Private means "only its owner's account": an anonymous snap has none.
ANONYMOUS_PRIVATE = "An anonymous snap cannot be private: sign in for that."


def _announces(snap: Snap) -> bool:
    """Whether the snap belongs in its author's followers' timelines (social's activity
    stream): listed for everyone and lasting; one-time snaps never (a view burns them)."""
    return (
        snap.user_id is not None
        and snap.visibility == Snap.Visibility.PUBLIC
        and not snap.burn_after_reading
    )


def _announce(snap: Snap) -> None:
    """Publish or withdraw the snap's timeline entry once this transaction commits, so the
    snap's own write stays one INSERT."""
    user_id, snap_id, public = snap.user_id, snap.pk, _announces(snap)
    if user_id is None:
        return
    transaction.on_commit(
        lambda: social_services.activity_set(
            user_id=user_id, kind="snap", subject_id=snap_id, public=public
        )
    )


MAX_TAGS = 10


def snap_tags_for_names(names: list[str]) -> list[SnapTag]:
    """The tags named (created when new; "Regex" and "regex" are one tag), race-safe."""
    by_slug = tags_by_slug(names, max_tags=MAX_TAGS)
    if not by_slug:
        return []
    SnapTag.objects.bulk_create(
        [SnapTag(name=name, slug=slug) for slug, name in by_slug.items()], ignore_conflicts=True
    )
    return list(SnapTag.objects.filter(slug__in=by_slug))


FileState = dict  # {"name", "content", "extension"?, "language"?}


def single_file(**fields) -> list[FileState]:
    """The one file the single-file keywords (name, extension, language, content) mean."""
    return [{field: fields[field] for field in FILE_FIELDS if field in fields}]


def _file_error(position: int, error: ValidationError) -> ValidationError:
    return ValidationError(
        {"files": [f"File {position + 1}: {message}" for message in error.messages]},
        code="invalid_file",
    )


def build_files(files: list[FileState], *, single: bool = False) -> list[SnapFile]:
    """Unsaved, validated files in order, each language and extension guessed when
    missing (snaps.languages). 1..SNAPS_MAX_FILES files, distinct file names, and all of
    them within SNAPS_MAX_CONTENT_CHARS together. A file's errors are under `files`
    ("File 2: ..."), or under its own fields for a snap given as one file (`single`)."""
    if not files:
        raise ValidationError({"files": "A snap holds at least one file."}, code="no_files")
    if len(files) > settings.SNAPS_MAX_FILES:
        raise ValidationError(
            {"files": f"A snap holds at most {settings.SNAPS_MAX_FILES} files."},
            code="too_many_files",
        )
    built, seen = [], set()
    for position, state in enumerate(files):
        name, content = state.get("name", ""), state.get("content", "")
        try:
            file = SnapFile(
                position=position,
                name=name,
                content=content,
                **resolve_language(
                    name=name,
                    extension=state.get("extension", ""),
                    language=state.get("language", ""),
                    content=content,
                ),
            )
            file.full_clean(exclude=["snap"], validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            raise error if single else _file_error(position, error) from None
        if file.filename.lower() in seen:
            raise ValidationError(
                {"files": f"Two files are named {file.filename}: give each its own name."},
                code="duplicate_filename",
            )
        seen.add(file.filename.lower())
        built.append(file)
    validate_files_total([file.content for file in built])
    return built


def _save_files(snap: Snap, files: list[SnapFile]) -> None:
    for file in files:
        file.snap = snap
    SnapFile.objects.bulk_create(files)
    snap._prefetched_objects_cache = {"files": files}  # what it holds now, without a query


def snap_create(
    *,
    user: AbstractBaseUser | None,
    name: str = "",
    content: str = "",
    extension: str = "",
    language: str = "",
    files: list[FileState] | None = None,
    tags: list[str] | None = None,
    visibility: str = Snap.Visibility.PUBLIC,
    expires_in: timedelta | None = None,
    expires_at: datetime | None = None,
    burn_after_reading: bool = False,
    parent: Snap | None = None,
    edit_token_hash: str = "",
) -> Snap:
    """A new snap holding `files` (or the one file of name, extension, language and
    content); a missing language or extension is guessed (snaps.languages).

    Two INSERTs (the snap, then its files in one statement) in one transaction; a
    savepoint keeps a key clash retryable. No page-cache drop: only a snap's own detail
    page is cached, and this snap's key is new."""
    single = files is None
    if single:
        files = single_file(name=name, content=content, extension=extension, language=language)
    built = build_files(files, single=single)
    tag_rows = snap_tags_for_names(tags) if tags else []
    if expires_in is not None:
        expires_at = timezone.now() + expires_in
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": "The expiry time must be in the future."})
    snap = Snap(
        user=user,
        visibility=visibility,
        expires_at=expires_at,
        burn_after_reading=burn_after_reading,
        parent=parent,
        edit_token_hash=edit_token_hash,
    )
    # `user` is the signed-in caller, so no query to check it exists.
    snap.full_clean(exclude=["hash_key", "user"])
    # 160 random bits make a clash practically impossible; the unique index is the guarantee.
    for _ in range(HASH_KEY_ATTEMPTS):
        snap.hash_key = new_hash_key()
        try:
            with transaction.atomic():
                snap.save(force_insert=True)
                _save_files(snap, built)
                if tag_rows:
                    snap.tags.set(tag_rows)
            if not tag_rows:  # the answer reads its tags: none, known without a query
                snap._prefetched_objects_cache["tags"] = SnapTag.objects.none()
            if _announces(snap):
                _announce(snap)
            return snap
        except IntegrityError:
            snap.pk = None
            if Snap.objects.filter(hash_key=snap.hash_key).exists():
                logger.warning("hash_key collision, retrying")
                continue
            raise
    raise IntegrityError("Could not find a free hash key.")


def snap_create_anonymous(**fields) -> tuple[Snap, str]:
    """An anonymous snap (if SNAPS_ALLOW_ANONYMOUS) and its secret edit/delete token,
    known only to the caller: the database keeps its SHA-256."""
    if not settings.SNAPS_ALLOW_ANONYMOUS:
        raise PermissionDenied("Sign in to post a snap.")
    if fields.get("visibility") == Snap.Visibility.PRIVATE:
        raise ValidationError({"visibility": ANONYMOUS_PRIVATE})
    token = secrets.token_urlsafe(24)
    snap = snap_create(user=None, edit_token_hash=token_hash(token), **fields)
    return snap, token


def can_fork(snap: Snap, viewer) -> bool:
    """Anyone signed in forks a listed snap; only its author an unlisted or private one."""
    if viewer is None or not viewer.is_authenticated:
        return False
    return is_author(snap, viewer) or snap.is_listed


def files_with_changes(files: list[FileState], changes: dict) -> list[FileState]:
    """`files` with the single-file keywords in `changes` (name, extension, language,
    content) applied to the first file, as a one-file client means them."""
    first = {field: changes[field] for field in FILE_FIELDS if field in changes}
    if not first:
        return files
    if "language" in first and "extension" not in first:
        first["extension"] = ""  # follows the new language
    return [files[0] | first, *files[1:]]


def _file_fields(changes: dict) -> dict:
    return {field: changes.pop(field) for field in FILE_FIELDS if field in changes}


def snap_fork(*, snap: Snap, by: AbstractBaseUser, **changes) -> Snap:
    """A copy of `snap` (all its files) in `by`'s account, linked to it; `changes`
    (files, or the first file's content, name, language; visibility, ...) make it a
    reply. Others' unlisted snaps are a 404, as everywhere else they must not be seen."""
    if not can_fork(snap, by):
        raise Http404("No snap with that key.")
    first_changes = _file_fields(changes)
    files = changes.pop("files", None) or [file.as_state() for file in snap.file_list]
    files = files_with_changes(files, first_changes)
    changes.setdefault("visibility", snap.visibility)
    return snap_create(user=by, parent=snap, files=files, **changes)


def expiry_options(choice: str) -> dict:
    """snap_create's keywords for one of Snap.Expiry's choices."""
    if choice == Snap.Expiry.ONETIME:
        return {"burn_after_reading": True}
    return {"expires_in": Snap.EXPIRY_DELTAS[Snap.Expiry(choice)]}


def snap_open(*, snap: Snap, viewer, token: str = "") -> Snap:
    """The snap, as the viewer opens it to read (page, raw text, API).

    A one-time snap opened by anyone but its author is deleted, in one transaction
    with its row locked first (delete_or_404): of two concurrent first
    views, one reads the snap and the other gets a 404.
    """
    if snap.burn_after_reading and not is_author(snap, viewer, token):
        prefetch_related_objects([snap], "files")  # what this one view shows, kept
        delete_or_404(snap)
        pagecache.invalidate_on_commit("snaps")
    return snap


@transaction.atomic
def snap_update(
    *,
    snap: Snap,
    by: AbstractBaseUser | None,
    token: str = "",
    files: list[FileState] | None = None,
    tags: list[str] | None = None,
    **fields,
) -> Snap:
    """Change a snap: `files` replaces all its files; the single-file keywords (name,
    extension, language, content) change its first file. A change to what it holds
    keeps the former state as a revision. `tags` (names) replaces its tags.

    The row is locked first, so two concurrent edits number their revisions in turn."""
    if not is_author(snap, by, token):
        raise PermissionDenied("Only the owner can change this snap.")
    if snap.user_id is None and fields.get("visibility") == Snap.Visibility.PRIVATE:
        raise ValidationError({"visibility": ANONYMOUS_PRIVATE})
    new_expiry = fields.get("expires_at")
    if new_expiry is not None and new_expiry <= timezone.now():
        raise ValidationError({"expires_at": "The expiry time must be in the future."})
    first_changes = _file_fields(fields)
    current = Snap.objects.select_for_update().get(pk=snap.pk)
    former = current.as_revision()
    new_states = files_with_changes(files if files is not None else former.files, first_changes)
    built = build_files(new_states, single=files is None and len(new_states) == 1)
    for field, value in fields.items():
        setattr(snap, field, value)
    snap.revision, snap.revised_on = current.revision, current.revised_on
    changed = [file.as_state() for file in built] != former.files
    if changed:
        snap.revision += 1
        snap.revised_on = timezone.now()
    snap.full_clean()
    snap.save()
    if changed:
        former.save(force_insert=True)
        current.files.all().delete()
        _save_files(snap, built)
    if tags is not None:
        getattr(snap, "_prefetched_objects_cache", {}).pop("tags", None)  # read anew
        snap.tags.set(snap_tags_for_names(tags))
    if _announces(current) != _announces(snap):
        _announce(snap)
    pagecache.invalidate_on_commit("snaps")
    return snap


@transaction.atomic
def snap_delete(*, snap: Snap, by: AbstractBaseUser | None, token: str = "") -> None:
    if not is_author(snap, by, token):
        raise PermissionDenied("Only the owner can delete this snap.")
    snap_id = snap.pk
    delete_or_404(snap)
    social_services.activity_withdraw(kind="snap", subject_ids=[snap_id])
    pagecache.invalidate_on_commit("snaps")


def snap_purge_expired(*, now: datetime | None = None) -> int:
    """Delete every snap whose expiry has passed; returns how many went."""
    expired = Snap.objects.filter(expires_at__lte=now or timezone.now())
    social_services.activity_withdraw(
        kind="snap", subject_ids=expired.filter(user__isnull=False).values_list("pk", flat=True)
    )
    _, by_model = expired.delete()
    deleted = by_model.get(Snap._meta.label, 0)  # not counting their files and revisions
    if deleted:
        pagecache.invalidate("snaps")
    return deleted


def delete_user_content(*, user_id: int) -> int:
    """Every snap of one user (their account is being deleted); returns how many went."""
    snaps = Snap.objects.filter(user_id=user_id)
    social_services.activity_withdraw(kind="snap", subject_ids=snaps.values_list("pk", flat=True))
    _, by_model = snaps.delete()
    deleted = by_model.get(Snap._meta.label, 0)
    pagecache.invalidate_on_commit("snaps")
    return deleted
