"""scripts/serve listens only where the proxy connects: behind a trusted proxy the application
believes X-Forwarded-For, so a server reachable on every address would let a client choose
the address sign-in lock-outs count. (Each case stops at the start-up checks: nothing runs.)"""

import os
import subprocess
from pathlib import Path

import pytest

SERVE = Path(__file__).resolve().parents[2] / "scripts" / "serve"
BIND_PROBLEM = "listens on every address while TRUSTED_PROXY_COUNT"


def serve(**env) -> subprocess.CompletedProcess:
    """scripts/serve's start-up checks, with these settings and no SECRET_KEY unless given,
    so that it always stops before installing or starting anything."""
    base = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), "ALLOWED_HOSTS": "tracker.example"}
    return subprocess.run(  # noqa: S603  (our own script, fixed arguments)
        ["bash", str(SERVE)], env={**base, **env}, capture_output=True, text=True, timeout=30, check=False
    )


@pytest.mark.parametrize("bind", ["0.0.0.0:8000", "[::]:8000", "127.0.0.1:8000,0.0.0.0:8001", "0.0.0.0"])
def test_behind_a_proxy_it_refuses_to_listen_on_every_address(bind):
    result = serve(SECRET_KEY="k" * 50, TRUSTED_PROXY_COUNT="1", BIND=bind)
    assert result.returncode == 1
    assert "refusing to start" in result.stderr
    assert BIND_PROBLEM in result.stderr
    assert "Bind to the address the proxy reaches" in result.stderr


@pytest.mark.parametrize(
    "env",
    [
        {"TRUSTED_PROXY_COUNT": "1", "BIND": "10.0.0.11:8000"},  # the address the proxy reaches
        {"TRUSTED_PROXY_COUNT": "1"},  # the default, 127.0.0.1:8000
        {"TRUSTED_PROXY_COUNT": "0", "BIND": "0.0.0.0:8000"},  # no proxy believed
        {"TRUSTED_PROXY_COUNT": "1", "BIND": "0.0.0.0:8000", "BIND_ANY_ADDRESS": "1"},  # firewalled
    ],
)
def test_it_listens_where_it_is_told_otherwise(env):
    result = serve(**env)  # no SECRET_KEY: refused for that alone
    assert result.returncode == 1
    assert "SECRET_KEY is not set" in result.stderr
    assert BIND_PROBLEM not in result.stderr
