"""Demo snaps for `manage.py seed_demo`."""

from snaps.models import Snap
from snaps.services import snap_create

HELLO_PY = """\
def greet(name: str) -> str:
    return f"Hello, {name}!"


print(greet("Blueprints"))
"""
DEBOUNCE_JS = """\
export function debounce(fn, ms) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}
"""
RECENT_POSTS_SQL = """\
SELECT author_id, count(*)
FROM social_post
WHERE created_on > now() - interval '7 days'
GROUP BY author_id
ORDER BY 2 DESC;
"""
DEMO_SNAPS = [
    ("hello", "py", HELLO_PY, Snap.Visibility.PUBLIC),
    ("debounce", "js", DEBOUNCE_JS, Snap.Visibility.PUBLIC),
    ("recent_posts", "sql", RECENT_POSTS_SQL, Snap.Visibility.UNLISTED),
]


def seed(user) -> str:
    created = 0
    for name, extension, content, visibility in DEMO_SNAPS:
        if not Snap.objects.filter(user=user, files__name=name).exists():
            snap_create(
                user=user, name=name, extension=extension, content=content, visibility=visibility
            )
            created += 1
    return f"{created} snap(s) created, {len(DEMO_SNAPS) - created} already there"
