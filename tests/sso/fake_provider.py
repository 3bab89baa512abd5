"""A provider of our own making on 127.0.0.1, for the tokens a real one would never issue.

The real provider (tests/oidc, npm's oidc-provider) signs correct tokens only; here each
test chooses the ID token the token endpoint hands back (wrong issuer, expired, signed with
another key, `alg: none`…), how slow each answer is, and what a fake Microsoft Graph says
(`/graph/me/getMemberGroups`). Tokens are signed with PyJWT and an RSA key from cryptography.
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_ID = "strategy-tracker"
CLIENT_SECRET = "test-only-client-secret"
KID = "fake-key-1"


def new_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class FakeProvider:
    """The server and what it will answer; `reset()` between tests."""

    def __init__(self):
        self.key = new_key()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        self.issuer = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.reset()

    def reset(self):
        self.id_token: str | None = None
        self.userinfo: dict | None = None
        self.delay = 0.0
        self.down_paths: set[str] = set()
        self.token_status = 200
        self.graph_groups: list[str] = []
        self.graph_calls: list[str] = []  # the Authorization header of each call
        self.end_session = True

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def claims(self, nonce: str, /, **changes) -> dict:
        """A correct ID token's claims for Alice, with `changes` (None drops a claim)."""
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "sub": "alice-sub",
            "oid": "00000000-0000-0000-0000-00000000a11c",
            "iat": now,
            "exp": now + 600,
            "nonce": nonce,
            "email": "alice@example.gov.uk",
            "given_name": "Alice",
            "family_name": "Adams",
            "groups": ["managers-group"],
        }
        claims.update(changes)
        return {name: value for name, value in claims.items() if value is not None}

    def sign(self, claims: dict, *, key=None, kid: str = KID, algorithm: str = "RS256") -> str:
        return jwt.encode(claims, key or self.key, algorithm=algorithm, headers={"kid": kid})

    def discovery(self) -> dict:
        document = {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/auth",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "id_token_signing_alg_values_supported": ["RS256"],
        }
        if self.end_session:
            document["end_session_endpoint"] = f"{self.issuer}/session/end"
        return document

    def jwks(self) -> dict:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**public, "kid": KID, "alg": "RS256", "use": "sig"}]}


def _handler(provider: FakeProvider):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _answer(self, status: int, body) -> None:
            time.sleep(provider.delay)
            data = json.dumps(body).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the application gave up waiting: the point of a slow answer

        def do_GET(self):
            path = self.path.split("?")[0]
            if path in provider.down_paths:
                return self._answer(500, {"error": "server_error"})
            if path == "/.well-known/openid-configuration":
                return self._answer(200, provider.discovery())
            if path == "/jwks":
                return self._answer(200, provider.jwks())
            if path == "/userinfo":
                return self._answer(200, provider.userinfo or {})
            return self._answer(404, {"error": "not_found"})

        def do_POST(self):
            path = self.path.split("?")[0]
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode()
            if path in provider.down_paths:
                return self._answer(500, {"error": "server_error"})
            if path == "/token":
                form = parse_qs(body)
                if provider.token_status != 200 or form.get("client_secret") != [CLIENT_SECRET]:
                    return self._answer(
                        provider.token_status if provider.token_status != 200 else 401, {"error": "invalid_grant"}
                    )
                return self._answer(
                    200, {"access_token": "fake-access-token", "token_type": "Bearer", "id_token": provider.id_token}
                )
            if path == "/graph/me/getMemberGroups":
                provider.graph_calls.append(self.headers.get("Authorization", ""))
                return self._answer(200, {"value": provider.graph_groups})
            return self._answer(404, {"error": "not_found"})

    return Handler
