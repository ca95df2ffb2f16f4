"""Snaps' web pages, one module per sub-domain, re-exported for the URL map."""

from snaps.views.browse import (  # noqa: F401
    SnapDetailView,
    SnapListView,
    SnapRawView,
    SnapTagView,
    SnapUserListView,
    raw_response,
    shown_files,
)
from snaps.views.editing import (  # noqa: F401
    AuthorRequiredMixin,
    SnapCreateView,
    SnapDeleteView,
    SnapEditView,
    SnapForkView,
    SnapFormView,
    SnapReplyView,
    keep_token_in_browser,
)
from snaps.views.history import (  # noqa: F401
    SnapHistoryView,
    SnapRevisionRawView,
    SnapRevisionView,
)
