"""The real `toot` CLI (PyPI), unchanged: interactive login with the code copied from
the consent page in a real browser, then post, timeline and whoami."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from accounts.tests.factories import TEST_PASSWORD, UserFactory
from social.models import Post

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TOOT = str(Path(sys.executable).with_name("toot"))


def _toot(env: dict, *args: str) -> str:
    done = subprocess.run(
        [TOOT, *args], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr + done.stdout
    return done.stdout


def test_toot_login_post_timeline_whoami(page: Page, live_server, tmp_path):
    UserFactory(username="carol")
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path), "NO_COLOR": "1"}
    login = subprocess.Popen(
        [TOOT, "login", "--instance", live_server.url],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        url = ""
        while not url.startswith(live_server.url):
            line = login.stdout.readline()
            assert line, "toot ended before printing the login URL"
            url = line.strip()
        login.stdin.write("n\n")  # do not open a browser: this test is the browser
        login.stdin.flush()
        page.goto(url)
        page.fill("input[name=login]", "carol")
        page.fill("input[name=password]", TEST_PASSWORD)
        page.locator("main form button[type=submit]").last.click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Authorise toot")
        page.get_by_role("button", name="Authorise").click()
        code = page.get_by_test_id("oauth-code").input_value()
        output, _ = login.communicate(f"{code}\n", timeout=60)
    finally:
        if login.poll() is None:
            login.kill()
    assert login.returncode == 0, output
    assert "Successfully logged in" in output

    assert "carol" in _toot(env, "whoami")
    _toot(env, "post", "Posted from toot")
    assert Post.objects.get().content == "Posted from toot"
    assert "Posted from toot" in _toot(env, "timeline", "--once")
