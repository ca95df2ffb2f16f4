"""A snap's revisions: the history with diffs, one revision's page and raw files."""

import logging

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.views import View

from snaps import selectors
from snaps.authorship import request_token
from snaps.diffs import files_diff
from snaps.views.browse import raw_response, shown_files

logger = logging.getLogger(__name__)


def _revision_number(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


class SnapHistoryView(View):
    """Every revision, and the unified diff between any two of them (?from=&to=)."""

    def get(self, request: HttpRequest, hash_key: str) -> HttpResponse:
        snap = selectors.snap_get_with_history(
            hash_key=hash_key, viewer=request.user, token=request_token(request, hash_key)
        )
        revisions = selectors.snap_revision_list(snap)
        newer = _revision_number(request.GET.get("to"), snap.revision)
        older = _revision_number(request.GET.get("from"), max(1, newer - 1))
        older_revision = selectors.snap_revision_get(snap, older)
        newer_revision = selectors.snap_revision_get(snap, newer)
        diffs = files_diff(
            older_revision.file_list,
            newer_revision.file_list,
            old_note=f"revision {older}",
            new_note=f"revision {newer}",
        )
        context = {
            "snap": snap,
            "revisions": revisions,
            "older": older,
            "newer": newer,
            "diffs": diffs,
        }
        return TemplateResponse(request, "snaps/snap_history.html", context)


class SnapRevisionView(View):
    def get(self, request: HttpRequest, hash_key: str, number: int) -> HttpResponse:
        snap = selectors.snap_get_with_history(
            hash_key=hash_key, viewer=request.user, token=request_token(request, hash_key)
        )
        revision = selectors.snap_revision_get(snap, number)
        context = {"snap": snap, "revision": revision, "files": shown_files(revision.file_list)}
        return TemplateResponse(request, "snaps/snap_revision.html", context)


class SnapRevisionRawView(View):
    """An old revision's first file, or any of its files by name."""

    def get(
        self, request: HttpRequest, hash_key: str, number: int, filename: str = ""
    ) -> HttpResponse:
        snap = selectors.snap_get_with_history(
            hash_key=hash_key, viewer=request.user, token=request_token(request, hash_key)
        )
        revision = selectors.snap_revision_get(snap, number)
        file = selectors.snap_file_get(revision, filename) if filename else revision.file_list[0]
        return raw_response(request, file)
