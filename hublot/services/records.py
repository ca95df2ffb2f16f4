"""GitHub JSON -> values the database can hold. GitHub's data is outside input: a NUL in
a title (PostgreSQL text cannot hold it), a field past its column, a number past
PostgreSQL's integer, an unreadable date. What can be stored is stored (cleaned), what
cannot is skipped with a reason; nothing here raises."""

from __future__ import annotations

from datetime import UTC, datetime

from hublot.models import Issue, IssueComment
from project.urlsafety import safe_http_url

MAX_ISSUE_NUMBER = 2_147_483_647  # PostgreSQL integer (PositiveIntegerField)
MAX_BIGINT = 9_223_372_036_854_775_807
MAX_TITLE = 1_024  # GitHub allows 256
MAX_BODY = 262_144  # GitHub allows 65,536 characters
MAX_LABELS = 100
MAX_URL = Issue._meta.get_field("html_url").max_length
MAX_LOGIN = Issue._meta.get_field("author").max_length
MAX_MILESTONE = Issue._meta.get_field("milestone").max_length


class Problems(list):
    """Reasons something was skipped or cleaned, one line each."""


def text(value, limit: int) -> str:
    if not isinstance(value, str):
        return ""
    return value.replace("\x00", "")[:limit]


def whole_number(value, low: int, high: int) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if low <= value <= high else None


def moment(value, what: str, problems: Problems) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        parsed = None
    if parsed is None or parsed.year < 1970:
        problems.append(f"{what}: unreadable date {str(value)[:40]!r}, stored empty")
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def login(user) -> str:
    return text(user.get("login"), MAX_LOGIN) if isinstance(user, dict) else ""


def url(value) -> str:
    """An http(s) URL from GitHub, or "" for any other scheme or one the column cannot hold."""
    value = text(value, MAX_URL + 1)
    return (safe_http_url(value) or "") if len(value) <= MAX_URL else ""


def issue_number(raw) -> int | None:
    return whole_number(raw.get("number"), 1, MAX_ISSUE_NUMBER) if isinstance(raw, dict) else None


def issue_values(raw, problems: Problems) -> dict | None:
    """Issue field values from one item of GitHub's issue JSON, or None (skipped)."""
    if not isinstance(raw, dict):
        problems.append("skipped an item that is not an issue object")
        return None
    number = issue_number(raw)
    if number is None:
        problems.append(f"skipped issue number {str(raw.get('number'))[:30]!r}: not storable")
        return None
    what = f"#{number}"
    labels = []
    for label in (
        (raw.get("labels") or [])[:MAX_LABELS] if isinstance(raw.get("labels"), list) else []
    ):
        name = text(label.get("name") if isinstance(label, dict) else label, 255)
        if name and name not in labels:
            labels.append(name)
    assignees = (
        [
            name
            for name in (
                login(user) for user in raw.get("assignees") or [] if isinstance(user, dict)
            )
            if name
        ]
        if isinstance(raw.get("assignees"), list)
        else []
    )
    milestone = raw.get("milestone")
    state = raw.get("state")
    return {
        "number": number,
        "github_id": whole_number(raw.get("id"), 1, MAX_BIGINT),
        "title": text(raw.get("title"), MAX_TITLE),
        "state": state if state in Issue.State.values else Issue.State.OPEN,
        "labels": labels,
        "author": login(raw.get("user")),
        "body": text(raw.get("body"), MAX_BODY),
        "assignees": assignees,
        "milestone": text(milestone.get("title"), MAX_MILESTONE)
        if isinstance(milestone, dict)
        else "",
        "comment_count": whole_number(raw.get("comments"), 0, MAX_ISSUE_NUMBER) or 0,
        "html_url": url(raw.get("html_url")),
        "is_pull_request": "pull_request" in raw,
        "opened_at": moment(raw.get("created_at"), f"{what} created_at", problems),
        "updated_at": moment(raw.get("updated_at"), f"{what} updated_at", problems),
        "closed_at": moment(raw.get("closed_at"), f"{what} closed_at", problems),
    }


def comment_values(raw, problems: Problems) -> tuple[int, dict] | None:
    """(issue number, IssueComment field values) from GitHub's comment JSON, or None."""
    if not isinstance(raw, dict):
        problems.append("skipped a comment that is not an object")
        return None
    github_id = whole_number(raw.get("id"), 1, MAX_BIGINT)
    issue_url = raw.get("issue_url") if isinstance(raw.get("issue_url"), str) else ""
    tail = issue_url.rstrip("/").rsplit("/", 1)[-1]
    number = (
        whole_number(int(tail), 1, MAX_ISSUE_NUMBER) if tail.isdigit() and len(tail) < 12 else None
    )
    if github_id is None or number is None:
        problems.append(f"skipped comment {str(raw.get('id'))[:30]!r}: no usable id or issue")
        return None
    what = f"comment {github_id}"
    return number, {
        "github_id": github_id,
        "author": login(raw.get("user")),
        "body": text(raw.get("body"), MAX_BODY),
        "html_url": url(raw.get("html_url")),
        "created_at": moment(raw.get("created_at"), f"{what} created_at", problems),
        "updated_at": moment(raw.get("updated_at"), f"{what} updated_at", problems),
    }


ISSUE_FIELDS = [f.name for f in Issue._meta.concrete_fields if f.name not in ("id", "repository")]
COMMENT_FIELDS = [
    f.name for f in IssueComment._meta.concrete_fields if f.name not in ("id", "issue", "github_id")
]


def newer(a: dict, b: dict) -> dict:
    """Of two copies of one issue (read twice while pages shifted), the later one."""
    stamp_a = a["updated_at"] or datetime.min.replace(tzinfo=UTC)
    stamp_b = b["updated_at"] or datetime.min.replace(tzinfo=UTC)
    return b if stamp_b >= stamp_a else a
