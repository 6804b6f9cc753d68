"""deploy/ checked statically: there is no container engine or systemd on the test
machine, so the Dockerfile, the compose file and the unit are read, not run (the nginx
site config is run, in tests/evals/test_nginx.py)."""

from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path

import yaml

from assistant.settings import PREFIX, Settings

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"


def instructions(path: Path) -> list[tuple[str, str]]:
    """The Dockerfile's (INSTRUCTION, arguments), continuation lines joined."""
    text = re.sub(r"\\\n", " ", path.read_text(encoding="utf-8"))
    found = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, rest = line.partition(" ")
            found.append((name.upper(), rest.strip()))
    return found


def settings_named(text: str) -> set[str]:
    return {m.lower() for m in re.findall(PREFIX + r"([A-Z_]+)", text)}


def test_every_setting_the_deploy_files_name_exists() -> None:
    for path in DEPLOY.iterdir():
        unknown = settings_named(path.read_text(encoding="utf-8")) - set(Settings.model_fields)
        assert not unknown, f"{path.name}: no such setting {sorted(unknown)}"


def test_the_dockerfile_pins_cpu_torch_runs_as_a_user_and_checks_health() -> None:
    steps = instructions(DEPLOY / "Dockerfile")
    runs = " ".join(args for name, args in steps if name == "RUN")
    assert re.search(
        r"--index-url https://download\.pytorch\.org/whl/cpu \"?torch==[\d.]+\"?", runs
    )
    users = [args for name, args in steps if name == "USER"]
    assert users and users[-1] not in ("root", "0")
    assert steps.index(("USER", users[-1])) > max(
        i for i, (name, _) in enumerate(steps) if name == "RUN"
    ), "every RUN before the switch to the user; nothing runs as root at the end"
    env = " ".join(args for name, args in steps if name == "ENV")
    volumes = [args for name, args in steps if name == "VOLUME"]
    assert volumes == ['["/data"]'] and "PRESSROOM_STORE=/data/" in env
    assert "HF_HUB_OFFLINE=1" in env
    port = re.search(r"PRESSROOM_PORT=(\d+)", env)
    assert port and ("EXPOSE", port.group(1)) in steps
    health = next(args for name, args in steps if name == "HEALTHCHECK")
    assert f"127.0.0.1:{port.group(1)}/api/health" in health
    assert ("CMD", '["serve"]') in steps


def test_the_image_gets_every_package() -> None:
    steps = instructions(DEPLOY / "Dockerfile")
    copied = {shlex.split(args)[0] for name, args in steps if name == "COPY"}
    for source in copied:
        assert (REPO / source).exists(), f"COPY {source}: not in the repository"
    packages = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
    tops = {name.split(".")[0] for name in packages["packages"]}
    assert tops <= copied, f"not copied into the image: {sorted(tops - copied)}"


def test_compose_has_a_chroma_server_that_pressroom_uses() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    chroma = services["chroma"]
    command = [*chroma["entrypoint"], *chroma["command"]]
    assert command[:2] == ["chroma", "run"]
    port = command[command.index("--port") + 1]
    assert "/api/v2/heartbeat" in " ".join(chroma["healthcheck"]["test"])
    app = services["pressroom"]
    assert app["environment"]["PRESSROOM_CHROMA_URL"] == f"http://chroma:{port}"
    assert app["depends_on"]["chroma"]["condition"] == "service_healthy"
    assert "PRESSROOM_TRUSTED_PROXIES" in app["environment"]
    build = chroma["build"]
    assert (DEPLOY / build["context"] / build["dockerfile"]).resolve() == DEPLOY / "Dockerfile"
    named = {v.split(":")[0] for s in services.values() for v in s.get("volumes", [])}
    assert {"chroma-data", "pressroom-data"} <= named <= {*compose["volumes"], "../archive"}


def test_the_systemd_unit_serves_as_a_user_behind_the_proxy() -> None:
    lines = (DEPLOY / "pressroom.service").read_text(encoding="utf-8").splitlines()
    entries = [line.split("=", 1) for line in lines if "=" in line and not line.startswith("#")]
    unit: dict[str, list[str]] = {}
    for key, value in entries:
        unit.setdefault(key, []).append(value)
    assert unit["User"] == ["pressroom"] and unit["Restart"] == ["on-failure"]
    assert "pressroom serve --watch" in unit["ExecStart"][0]
    assert "PRESSROOM_TRUSTED_PROXIES=127.0.0.1" in unit["Environment"]
    assert "[Install]" in lines and unit["WantedBy"] == ["multi-user.target"]
