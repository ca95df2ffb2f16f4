"""Property-based API testing: schemathesis calls every operation of /api/schema/ on a
live server with generated data. No 5xx, and every answer matches the schema."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from accounts.services import api_token_create
from accounts.tests.factories import UserFactory
from hublot.models import Issue, Repository

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

# Every check (all are on by default; schemathesis.toml tunes two operations) and every
# phase, stateful included: operations are chained through the
# links schemathesis infers (a created resource's id, its Location header).
PHASES = "examples,coverage,fuzzing,stateful"
CONFIG = Path(__file__).with_name("schemathesis.toml")
# Real values for paths that name a resource no earlier call creates.
REAL_IDS = """
[[operations]]
include-operation-id-regex = "^users_(follow|block|mute)_(create|destroy)$"
parameters = {{ "path.username" = {peer} }}

[[operations]]
include-operation-id-regex = "^repositories_(retrieve|issues_list)$"
parameters = {{ "path.id" = {repository} }}
"""


def test_api_honours_its_schema(live_server, tmp_path, settings):
    # Schemathesis sends wrong credentials to every operation and expects 401/403; the
    # brute-force policy (tested in accounts/tests/test_brute_force.py) would soon answer
    # 429 instead, so it is out of the way here.
    settings.LOGIN_FAILED_RATE = "1000000/m/ip,1000000/m/key"
    token = api_token_create(user=UserFactory(), name="test").key
    # Someone to follow, and a tracked repository with an issue (read-only in the API).
    peer = UserFactory()
    repository = Repository.objects.create(owner="django", name="django")
    Issue.objects.create(repository=repository, number=1, title="A bug", state="open")
    config = tmp_path / "schemathesis.toml"
    config.write_text(
        CONFIG.read_text()
        + REAL_IDS.format(peer=json.dumps(peer.username), repository=repository.pk)
    )
    schemathesis = Path(sys.executable).with_name("schemathesis")
    result = subprocess.run(
        [
            str(schemathesis),
            "--config-file",
            str(config),
            "run",
            f"{live_server.url}/api/schema/",
            "--phases",
            PHASES,
            "--header",
            f"Authorization: Token {token}",
            "--max-examples",
            os.environ.get("FUZZ_EXAMPLES", "10"),
            "--seed",
            "20261124",
            "--generation-database",
            "none",
            "--suppress-health-check",
            "all",
            "--no-color",
            "--continue-on-failure",
        ],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=tmp_path,
    )
    if report := os.environ.get("FUZZ_REPORT"):
        Path(report).write_text(result.stdout + result.stderr)
    assert result.returncode == 0, result.stdout[-15000:] + result.stderr[-3000:]
