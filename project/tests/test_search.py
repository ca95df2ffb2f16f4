"""project/search.py: ranking, the GIN index really used, the SQLite fallback, bounds."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from project import search as search_module
from project.search import SearchForm, search, search_words
from snaps.models import SNAP_FILE_SEARCH_FIELDS, Snap, SnapFile
from snaps.tests.factories import SnapFactory


def files():
    """Snaps' files, the model searched for snaps, newest snap first (as snap lists)."""
    return SnapFile.objects.order_by("-snap__created_on", "-snap_id")


def snaps_of(found) -> list[Snap]:
    """The snaps of the files found, in order, each with its file's rank."""
    snaps = []
    for file in found.select_related("snap"):
        file.snap.search_rank = getattr(file, "search_rank", None)
        snaps.append(file.snap)
    return snaps


def explain(queryset) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        # Left: the bitmap scan a GIN index is read with. Otherwise a btree walked whole
        # (e.g. hublot's (repository, state, -number)) may look as cheap on tiny tables.
        cursor.execute("SET LOCAL enable_indexscan = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("parse json", ["parse", "json"]),
        ('"exact phrase" -skip', ["exact", "phrase", "skip"]),
        ("!!! ... ---", []),
        ("", []),
        ("ünïcode 日本", ["ünïcode", "日本"]),
    ],
)
@pytest.mark.unit
def test_search_words(query, words):
    assert search_words(query) == words


@pytest.mark.unit
class TestSearchForm:
    def test_absent_query_is_unbound_and_empty(self):
        form = SearchForm({})
        assert not form.is_bound
        assert form.query == ""

    def test_query_is_stripped(self):
        assert SearchForm({"q": "  soup  "}).query == "soup"

    def test_too_long_is_an_error(self, settings):
        form = SearchForm({"q": "a" * (settings.SEARCH_MAX_QUERY_CHARS + 1)})
        assert form.query == ""
        assert "at most" in form.errors["q"][0]

    def test_nul_is_an_error(self):
        form = SearchForm({"q": "a\x00b"})
        assert form.query == ""
        assert "Null characters" in form.errors["q"][0]


@pytest.mark.integration
@pytest.mark.django_db
class TestPostgresSearch:
    def test_name_outranks_content_and_misses_are_left_out(self):
        in_content = SnapFactory(name="helpers", content="def tokenizer(): pass")
        in_name = SnapFactory(name="tokenizer", content="print(1)")
        SnapFactory(name="other", content="nothing relevant")
        found = snaps_of(search(files(), SNAP_FILE_SEARCH_FIELDS, "tokenizer"))
        assert found == [in_name, in_content]
        assert found[0].search_rank > found[1].search_rank

    def test_more_occurrences_rank_higher(self):
        once = SnapFactory(name="a", content="cache once")
        thrice = SnapFactory(name="b", content="cache cache cache the cache")
        assert snaps_of(search(files(), SNAP_FILE_SEARCH_FIELDS, "cache")) == [thrice, once]

    def test_english_stemming_and_websearch_syntax(self):
        tomatoes = SnapFactory(name="soup", content="roasted tomatoes with basil")
        SnapFactory(name="salad", content="tomato and onion")
        found = search(files(), SNAP_FILE_SEARCH_FIELDS, "tomato -onion")
        assert snaps_of(found) == [tomatoes]
        phrase = search(files(), SNAP_FILE_SEARCH_FIELDS, '"basil roasted"')
        assert snaps_of(phrase) == []

    def test_equal_ranks_keep_the_model_order(self):
        older, newer = SnapFactory(content="same words"), SnapFactory(content="same words")
        assert snaps_of(search(files(), SNAP_FILE_SEARCH_FIELDS, "words")) == [newer, older]

    @pytest.mark.parametrize("query", ["!!!", "   ", "-", '""', "&|:*()"])
    def test_a_query_without_words_finds_nothing_without_a_query(
        self, query, django_assert_num_queries
    ):
        SnapFactory(content="!!! & | : *")
        with django_assert_num_queries(0):
            assert snaps_of(search(files(), SNAP_FILE_SEARCH_FIELDS, query)) == []

    @pytest.mark.parametrize("query", ["or", "the and", "a:*", "foo & bar | !baz", "'\\"])
    def test_operators_and_stop_words_are_harmless(self, query):
        SnapFactory(content="foo bar baz")
        snaps_of(search(files(), SNAP_FILE_SEARCH_FIELDS, query))  # no database error

    def test_the_gin_index_is_used(self):
        SnapFactory.create_batch(3)
        plan = explain(search(files(), SNAP_FILE_SEARCH_FIELDS, "tokenizer"))
        assert "snaps_file_search_idx" in plan, plan

    @pytest.mark.parametrize(
        ("model_path", "index"),
        [
            ("snaps.models.SnapFile", "snaps_file_search_idx"),
            ("social.models.Post", "social_post_search_idx"),
            ("recipes.models.Recipe", "recipes_recipe_search_idx"),
            ("photos.models.Photo", "photos_photo_search_idx"),
            ("hublot.models.Issue", "hublot_issue_search_idx"),
        ],
    )
    def test_every_apps_search_expression_is_its_index(self, model_path, index):
        """The query's document is the one the migration indexed, for every app."""
        from importlib import import_module

        module_name, _, class_name = model_path.rpartition(".")
        module = import_module(module_name)
        model = getattr(module, class_name)
        fields = next(v for k, v in vars(module).items() if k.endswith("_SEARCH_FIELDS"))
        plan = explain(search(model.objects.all(), fields, "needle")[:20])
        assert index in plan, plan

    def test_the_index_is_used_with_enough_rows_and_no_hint(self):
        user = SnapFactory().user
        snaps = Snap.objects.bulk_create(Snap(user=user) for _ in range(3000))
        SnapFile.objects.bulk_create(
            SnapFile(snap=snap, name=f"n{i}", extension="py", content=f"filler {i} text")
            for i, snap in enumerate(snaps)
        )
        SnapFactory(content="a rare needle")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE snaps_snapfile")
        queryset = search(SnapFile.objects.all(), SNAP_FILE_SEARCH_FIELDS, "needle")
        sql, params = queryset.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "snaps_file_search_idx" in plan, plan
        assert "Seq Scan on snaps_snapfile" not in plan, plan


@pytest.mark.integration
@pytest.mark.django_db
class TestSqliteFallback:
    """The branch `make run` takes, on the test database: `icontains` per word."""

    @pytest.fixture(autouse=True)
    def _no_full_text(self, monkeypatch):
        monkeypatch.setattr(search_module, "uses_full_text", lambda queryset: False)

    def test_every_word_must_be_in_some_field(self):
        both = SnapFactory(name="Parser", content="reads JSON")
        SnapFactory(name="parser", content="reads yaml")
        found = search(files(), SNAP_FILE_SEARCH_FIELDS, "json PARSER")
        assert snaps_of(found) == [both]

    def test_newest_first_and_no_rank(self):
        older, newer = SnapFactory(content="word"), SnapFactory(content="word")
        found = search(files(), SNAP_FILE_SEARCH_FIELDS, "word")
        assert snaps_of(found) == [newer, older]
        assert not search_module.is_ranked(found)

    def test_uses_like_not_full_text(self):
        with CaptureQueriesContext(connection) as queries:
            snaps_of(search(files(), SNAP_FILE_SEARCH_FIELDS, "word"))
        assert "LIKE" in queries[0]["sql"]
        assert "tsquery" not in queries[0]["sql"]

    def test_punctuation_only_finds_nothing(self):
        SnapFactory(content="!!!")
        assert snaps_of(search(files(), SNAP_FILE_SEARCH_FIELDS, "!!!")) == []

    def test_at_most_ten_words_are_matched(self):
        snap = SnapFactory(content=" ".join(f"w{i}" for i in range(10)))
        query = " ".join(f"w{i}" for i in range(10)) + " absent"
        assert snaps_of(search(files(), SNAP_FILE_SEARCH_FIELDS, query)) == [snap]


REBUILD_AND_LIST_INDEXES = """
from django.db import DatabaseError, connection, transaction
from snaps.models import Snap, SnapFile
with connection.schema_editor() as editor:
    editor._remake_table(Snap)  # what SQLite does for most field changes
    editor._remake_table(SnapFile)
with connection.cursor() as cursor:
    cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
    print(sorted(row[0] for row in cursor.fetchall()))
"""


@pytest.mark.integration
def test_search_indexes_are_postgres_only(tmp_path):
    """`make run` migrates SQLite with the search indexes declared, and SQLite's table
    rebuilds (which recreate every index of a model) still work: nothing is created."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
    migrate = subprocess.run(
        [*manage, "migrate", "--noinput", "-v0"], env=env, capture_output=True, text=True
    )
    assert migrate.returncode == 0, migrate.stderr
    shell = subprocess.run(
        [*manage, "shell", "-c", REBUILD_AND_LIST_INDEXES], env=env, capture_output=True, text=True
    )
    assert shell.returncode == 0, shell.stderr
    assert "snaps_user_created_idx" in shell.stdout
    assert "search_idx" not in shell.stdout


@pytest.mark.integration
@pytest.mark.django_db
def test_huge_documents_are_saved_and_searched_by_their_start():
    """Unique two-letter CJK words make the densest tsvector (4.7 bytes per character): a
    recipe of three such 1 MB fields would pass PostgreSQL's 1 MB tsvector limit, and its
    save would fail, if the indexed document were not bounded."""
    import random

    from recipes.models import RECIPE_SEARCH_FIELDS, Recipe
    from recipes.tests.factories import RecipeFactory

    rng = random.Random(7)

    def dense(chars: int) -> str:
        pair = lambda: chr(0x4E00 + rng.randrange(20000)) + chr(0x4E00 + rng.randrange(20000))  # noqa: E731
        return " ".join(pair() for _ in range(chars // 3))

    unbounded = pytest.raises(DatabaseError, match="too long for tsvector")
    with unbounded, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT to_tsvector('english', %s)", [dense(1_000_000)])
    recipe = RecipeFactory(
        title="needle", ingredients=dense(1_000_000), instructions=dense(1_000_000)
    )
    assert list(search(Recipe.objects.all(), RECIPE_SEARCH_FIELDS, "needle")) == [recipe]
