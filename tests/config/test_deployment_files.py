"""The Procfile and docker-compose.yml run the same processes as the operations guide
says, health probes reach /healthz over plain HTTP, and `make run` links where it
serves."""

import os
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def procfile() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


def test_docker_compose_runs_what_the_procfile_runs():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    processes = procfile()
    assert processes["web"] in compose["web"]["command"]
    assert compose["worker"]["command"] == processes["worker"]
    assert compose["beat"]["command"] == processes["beat"]
    assert processes["release"] in compose["web"]["command"]  # migrate before serving
    assert "/healthz" in " ".join(compose["web"]["healthcheck"]["test"])
    guide = (ROOT / "docs" / "operations.md").read_text()
    for command in (processes["web"], "celery -A config worker", "celery -A config beat"):
        assert command in guide


def test_every_compose_service_is_started_again_when_it_exits():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    restarts = {name: service.get("restart") for name, service in compose.items()}
    services = ("web", "worker", "beat", "postgres", "redis")
    assert restarts == dict.fromkeys(services, "unless-stopped")


@pytest.mark.django_db
def test_a_plain_http_probe_reaches_healthz_with_ssl_redirect_on(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code in (200, 503)  # not a redirect to https
    assert client.get("/login/").status_code == 301


@pytest.mark.parametrize(
    ("environment", "expected"),
    [({}, "http://127.0.0.1:8101"), ({"SITE_URL": "https://cx.example"}, "https://cx.example")],
)
def test_make_run_serves_survey_links_where_the_app_is_served(environment, expected):
    planned = subprocess.run(
        ["make", "-n", "run", "HOST=127.0.0.1:8101"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    (serve,) = [line for line in planned.splitlines() if "runserver 127.0.0.1:8101" in line]
    # The same line, with the server replaced by a look at what it would be given.
    probe = serve.split(" .venv/bin/python")[0] + " printenv SITE_URL"
    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"} | environment
    shown = subprocess.run(["sh", "-c", probe], env=env, capture_output=True, text=True)
    assert shown.stdout.strip() == expected
