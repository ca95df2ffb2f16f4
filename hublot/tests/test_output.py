"""What a terminal user sees, and what a pipe gets."""

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

from hublot.tests.test_commands import database_url_of_this_run

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


class Terminal(StringIO):
    def isatty(self) -> bool:
        return True


def run_on_terminal(*args: str) -> tuple[str, str]:
    out, err = Terminal(), Terminal()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_terminal_gets_a_coloured_table_and_a_progress_bar(github, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    github.add_repo("acme", "rockets", issues=250)
    out, err = run_on_terminal("fetch_issues", "acme/rockets")
    header, first = out.splitlines()[:2]
    assert header == "\x1b[1m" + header.removeprefix("\x1b[1m")
    for column in ("ID", "TITLE", "LABELS", "UPDATED"):
        assert column in header
    assert "\x1b[32m#250" in first and "Issue number 250" in first and " ago" in first
    assert "] page 1/3" in err and "] page 3/3" in err
    # The bar is erased before the summary: it never runs into other output.
    assert "\r\x1b[KAdded 250 issues!" in err


def test_no_color_means_plain_text_and_no_progress(github, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    github.add_repo("acme", "rockets", issues=250)
    out, err = run_on_terminal("fetch_issues", "acme/rockets")
    assert "\x1b" not in out + err and "page" not in err
    assert out.splitlines()[0].startswith("ID ")


def test_no_color_flag_of_django_works_too(github, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    github.add_repo("acme", "rockets", issues=1)
    out, err = run_on_terminal("fetch_issues", "acme/rockets", "--no-color")
    assert "\x1b" not in out + err


def test_json_on_a_terminal_is_indented(github):
    github.add_repo("acme", "rockets", issues=1)
    out, _ = run_on_terminal("fetch_issues", "acme/rockets", "--json", "number,title")
    assert out.strip() == '[\n  {\n    "number": 1,\n    "title": "Issue number 1"\n  }\n]'


@pytest.mark.django_db(transaction=True)  # the subprocess writes to the test database
def test_a_closed_pipe_exits_quietly(github):
    github.add_repo("acme", "rockets", issues=2000)  # more than a pipe buffer holds
    process = subprocess.Popen(
        [sys.executable, "manage.py", "fetch_issues", "acme/rockets", "-v", "1"],
        cwd=django_settings.BASE_DIR,
        env={
            **os.environ,
            "DATABASE_URL": database_url_of_this_run(),
            "GITHUB_API_URL": github.url,
            "GITHUB_TOKEN": "test-token",
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    first = process.stdout.readline()
    process.stdout.close()  # like `| head -1`
    _, err = process.communicate(timeout=120)
    assert first.startswith(b"2000\tOPEN\tIssue number 2000")
    assert b"Traceback" not in err and b"BrokenPipe" not in err, err.decode()
    assert process.returncode == 0
