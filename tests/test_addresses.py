"""Addresses: without ORG_URL / PERMALINK_TEMPLATE, links use the address the app is served at
(the request's, behind a proxy the forwarded one when PROXY_FIX trusts it; outside a request
the address of ``factcheck serve``)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from factcheck import cli, cli_serve, config, create_app
from tests.test_store_exports import build_desk

JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@pytest.mark.parametrize(
    ("url", "loopback"),
    [
        ("http://127.0.0.1:5000/", True),
        ("http://127.1.2.3/verdicts/{claim_id}", True),
        ("http://localhost:8000/verdicts/{claim_id}", True),
        ("http://LOCALHOST./", True),
        ("http://desk.localhost/", True),
        ("http://[::1]:8000/", True),
        ("http://[::ffff:127.0.0.1]/", True),
        ("http://0.0.0.0:5000/", True),
        ("https://desk.example/verdicts/{claim_id}", False),
        ("http://192.168.1.20:5000/", False),  # private, but other machines reach it
        ("http://10.0.0.1/", False),
        ("https://localhost.example/", False),
        ("not a url", False),
        ("", False),
        (None, False),
    ],
)
def test_is_loopback_address(url: Any, loopback: bool) -> None:
    assert config.is_loopback_address(url) is loopback


@pytest.mark.parametrize(
    ("host", "port", "base"),
    [
        ("127.0.0.1", 8123, "http://127.0.0.1:8123/"),
        ("0.0.0.0", 80, "http://127.0.0.1:80/"),
        ("::", 8000, "http://127.0.0.1:8000/"),
        ("::1", 8000, "http://[::1]:8000/"),
        ("desk.example", 8000, "http://desk.example:8000/"),
    ],
)
def test_serve_base_url(host: str, port: int, base: str) -> None:
    assert config.serve_base_url(host, port) == base


def test_outside_a_request(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PORT", raising=False)
    assert config.public_base_url({}) == "http://127.0.0.1:5000/"
    monkeypatch.setenv("PORT", "8123")
    assert config.public_base_url({}) == "http://127.0.0.1:8123/"
    served = {"PUBLIC_BASE_URL": "http://127.0.0.1:9000"}
    assert config.public_base_url(served) == "http://127.0.0.1:9000/"
    assert config.permalink_template(served) == "http://127.0.0.1:9000/verdicts/{claim_id}"
    assert config.org_url(served) == "http://127.0.0.1:9000/"
    given = served | {
        "ORG_URL": "https://desk.example/",
        "PERMALINK_TEMPLATE": "https://p/{claim_id}",
    }
    assert config.org_url(given) == "https://desk.example/"
    assert config.permalink_template(given) == "https://p/{claim_id}"
    resolved = config.with_addresses(served)
    assert resolved["ORG_URL"] == "http://127.0.0.1:9000/"
    assert resolved["PERMALINK_TEMPLATE"] == "http://127.0.0.1:9000/verdicts/{claim_id}"


def test_inside_a_request_the_requests_address(app: Any) -> None:
    app.config["PUBLIC_BASE_URL"] = "http://127.0.0.1:9000/"
    with app.test_request_context("/x", base_url="http://desk.example:8123/desk"):
        assert config.public_base_url() == "http://desk.example:8123/desk/"
        assert config.permalink_template(app.config) == (
            "http://desk.example:8123/desk/verdicts/{claim_id}"
        )
    with app.app_context():
        assert config.public_base_url() == "http://127.0.0.1:9000/"


def _public_jsonld(client: Any, claim_id: int, **kwargs: Any) -> dict[str, Any]:
    response = client.get(f"/verdicts/{claim_id}", **kwargs)
    assert response.status_code == 200
    (script,) = JSONLD.findall(response.get_data(as_text=True))
    return json.loads(script)


def test_public_page_links_to_the_port_it_is_served_on(app: Any, db: Any) -> None:
    desk = build_desk(db)
    claim = desk["planet_claims"][0]
    doc = _public_jsonld(app.test_client(), claim, base_url="http://127.0.0.1:8123")
    assert doc["url"] == f"http://127.0.0.1:8123/verdicts/{claim}"
    assert doc["author"]["url"] == "http://127.0.0.1:8123/"
    # Configured addresses win.
    app.config.update(ORG_URL="https://desk.example/", PERMALINK_TEMPLATE="https://d/{claim_id}")
    doc = _public_jsonld(app.test_client(), claim, base_url="http://127.0.0.1:8123")
    assert doc["url"] == f"https://d/{claim}"
    assert doc["author"]["url"] == "https://desk.example/"


FORWARDED = {
    "X-Forwarded-Host": "checks.example",
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Port": "443",
    "X-Forwarded-For": "203.0.113.9",
}


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        (None, "http://127.0.0.1:8123/verdicts/"),  # forwarded headers ignored: not trusted
        (1, "https://checks.example/verdicts/"),
        ('{"x_host": 1, "x_proto": 1}', "https://checks.example/verdicts/"),
    ],
)
def test_proxy_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db: Any, app: Any, setting: Any, expected: str
) -> None:
    desk = build_desk(db)
    if setting is not None:
        monkeypatch.setenv("FACTCHECK_PROXY_FIX", str(setting))
    proxied = create_app({"TESTING": True, "DATABASE": app.config["DATABASE"], "SECRET_KEY": "s"})
    claim = desk["planet_claims"][0]
    doc = _public_jsonld(
        proxied.test_client(), claim, base_url="http://127.0.0.1:8123", headers=FORWARDED
    )
    assert doc["url"] == f"{expected}{claim}"


@pytest.mark.parametrize(
    ("setting", "options"),
    [
        (None, None),
        (0, None),
        ("", None),
        (2, {"x_for": 2, "x_proto": 2, "x_host": 2, "x_port": 2}),
        ("1", {"x_for": 1, "x_proto": 1, "x_host": 1, "x_port": 1}),
        ({"x_for": 1, "x_prefix": 1}, {"x_for": 1, "x_prefix": 1}),
    ],
)
def test_proxy_fix_options(setting: Any, options: Any) -> None:
    assert config.proxy_fix_options(setting) == options


@pytest.mark.parametrize("setting", [-1, True, "yes", {"x_forwarded": 1}, {"x_for": -1}, [1]])
def test_proxy_fix_refuses_nonsense(setting: Any) -> None:
    with pytest.raises(ValueError, match="PROXY_FIX"):
        config.proxy_fix_options(setting)


def test_cli_export_uses_the_serve_address(
    app: Any, db: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_desk(db)
    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("PORT", "8123")
    result = CliRunner().invoke(
        cli.cli, ["--db", app.config["DATABASE"], "export", "--format", "claimreview"]
    )
    assert result.exit_code == 0, result.output
    docs = json.loads(result.stdout)
    assert docs and all(d["url"].startswith("http://127.0.0.1:8123/verdicts/") for d in docs)


def test_serve_passes_its_address_to_the_app(
    app: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import waitress

    served: dict[str, Any] = {}

    def fake_serve(wsgi_app: Any, **kwargs: Any) -> None:
        served.update(kwargs, base=wsgi_app.config["PUBLIC_BASE_URL"])

    monkeypatch.setattr(waitress, "serve", fake_serve)
    monkeypatch.setattr(cli_serve, "tune_gc", lambda: None)  # (serve looks it up there)
    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(tmp_path))
    result = CliRunner().invoke(
        cli.cli,
        [
            "--db",
            app.config["DATABASE"],
            "serve",
            "--server",
            "waitress",
            "--port",
            "8123",
            "--no-demo",
        ],
    )
    assert result.exit_code == 0, result.output
    assert served == {
        "host": "127.0.0.1",
        "port": 8123,
        "threads": 8,
        "ident": "factcheck",
        "base": "http://127.0.0.1:8123/",
    }


def test_granian_workers_get_the_serve_address(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    monkeypatch.setenv("FACTCHECK_DATABASE", str(tmp_path / "g.db"))
    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("FACTCHECK_PUBLIC_BASE_URL", "http://127.0.0.1:8123/")
    before = gc.get_threshold()
    try:
        assert cli_serve.serving_app().config["PUBLIC_BASE_URL"] == "http://127.0.0.1:8123/"
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
