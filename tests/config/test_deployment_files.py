"""The Procfile and docker-compose.yml run the same processes as the README says, and
health probes reach /healthz over plain HTTP."""

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
    readme = (ROOT / "README.md").read_text()
    for command in (processes["web"], "celery -A config worker", "celery -A config beat"):
        assert command in readme


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
