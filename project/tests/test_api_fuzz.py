"""Property-based API testing: schemathesis calls every operation of /api/schema/ on a
live server with generated data. No 5xx, and every answer matches the schema."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from rest_framework.authtoken.models import Token

from accounts.tests.factories import UserFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
    ]
)


def test_api_honours_its_schema(live_server, tmp_path):
    token = Token.objects.create(user=UserFactory()).key
    schemathesis = Path(sys.executable).with_name("schemathesis")
    result = subprocess.run(
        [
            str(schemathesis),
            "run",
            f"{live_server.url}/api/schema/",
            "--checks",
            CHECKS,
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
    assert result.returncode == 0, result.stdout[-15000:] + result.stderr[-3000:]
