"""A local OpenID Connect provider for tests: discovery, keys, an authorize endpoint that
signs in whoever the test says, and a token endpoint checking the client's secret and PKCE,
issuing ID tokens signed with a generated RSA key. Served over real HTTP on 127.0.0.1."""

import base64
import hashlib
import json
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from joserfc import jwt
from joserfc.jwk import RSAKey

CLIENT_ID = "assure-test-client"
CLIENT_SECRET = "test-client-secret-not-real"


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class Provider:
    """The identity provider's endpoints; `grant(code, claims)` is what the person's sign-in
    at the provider would have produced."""

    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": "signing"}, private=True)
        self.wrong_key = RSAKey.generate_key(2048, parameters={"kid": "signing"}, private=True)
        self.codes: dict[str, dict[str, Any]] = {}
        self.issuer = ""
        self.signs_in: dict[str, Any] = {}  # the claims of whoever signs in at /authorize

    def grant(self, code: str, claims: dict[str, Any], *, sign_with: RSAKey | None = None) -> None:
        self.codes[code] = {"claims": claims, "key": sign_with or self.key}

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        path = environ["PATH_INFO"]
        if path == "/.well-known/openid-configuration":
            return self._json(start_response, self.discovery())
        if path == "/keys":
            return self._json(start_response, {"keys": [self.key.as_dict(private=False)]})
        if path == "/authorize":
            return self._authorize(environ, start_response)
        if path == "/token" and environ["REQUEST_METHOD"] == "POST":
            return self._token(environ, start_response)
        return self._json(start_response, {"error": "not_found"}, "404 Not Found")

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/keys",
            "end_session_endpoint": f"{self.issuer}/logout",
            "id_token_signing_alg_values_supported": ["RS256"],
            "response_types_supported": ["code"],
            "subject_types_supported": ["pairwise"],
        }

    def _authorize(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        """The person signs in at the provider as `self.signs_in` says, and is sent back."""
        asked = {k: v[0] for k, v in parse_qs(environ["QUERY_STRING"]).items()}
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": asked["client_id"],
            "sub": "pairwise-subject-1",
            "iat": now,
            "exp": now + 300,
            "nonce": asked["nonce"],
            "_code_challenge": asked["code_challenge"],
            **self.signs_in,
        }
        code = f"code-{now}-{len(self.codes)}"
        self.grant(code, claims)
        back = f"{asked['redirect_uri']}?{urlencode({'code': code, 'state': asked['state']})}"
        start_response("302 Found", [("Location", back)])
        return [b""]

    def _token(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        form = {k: v[0] for k, v in parse_qs(environ["wsgi.input"].read(length).decode()).items()}
        basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        if environ.get("HTTP_AUTHORIZATION") != f"Basic {basic}":
            return self._json(start_response, {"error": "invalid_client"}, "401 Unauthorized")
        grant = self.codes.pop(form.get("code", ""), None)
        if grant is None:
            return self._json(start_response, {"error": "invalid_grant"}, "400 Bad Request")
        verifier = form.get("code_verifier", "").encode()
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).rstrip(b"=")
        if challenge.decode() != grant["claims"].pop("_code_challenge"):
            return self._json(start_response, {"error": "invalid_grant"}, "400 Bad Request")
        id_token = jwt.encode({"alg": "RS256", "kid": "signing"}, grant["claims"], grant["key"])
        body = {"access_token": "opaque", "token_type": "Bearer", "expires_in": 300}
        return self._json(start_response, {**body, "id_token": id_token})

    @staticmethod
    def _json(start_response: Any, body: dict[str, Any], status: str = "200 OK") -> list[bytes]:
        start_response(status, [("Content-Type", "application/json")])
        return [json.dumps(body).encode()]


def serve() -> Iterator[Provider]:
    """Run a provider on a free port for as long as the generator is open."""
    double = Provider()
    server = make_server("127.0.0.1", 0, double, WSGIServer, QuietHandler)
    double.issuer = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield double
    server.shutdown()
    server.server_close()


def configure(settings: Any, provider: Provider, site_url: str) -> None:
    settings.OIDC_CLIENT_ID = CLIENT_ID
    settings.OIDC_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_ISSUER = provider.issuer
    settings.OIDC_SCOPES = "openid email profile"
    settings.SITE_URL = site_url
