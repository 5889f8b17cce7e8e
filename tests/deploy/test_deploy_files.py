"""The deployment files, checked without Docker, systemd or nginx (none runs on our machines or in CI): the compose
file and Dockerfiles refer to things that exist and agree with each other and with the code, the container health
check works against real sockets, and the systemd units and the nginx site say what the install steps rely on."""

from __future__ import annotations

import configparser
import http.server
import importlib.util
import json
import os
import re
import shlex
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from cloud_backend.config import Settings as CloudSettings
from local_backend.config import Settings as ApplianceSettings
from local_backend.printing.simulator import PrinterFault, SimulatedPrinter
from tests.support.appliance import REPO_ROOT

pytestmark = pytest.mark.timeout(60)

DEPLOY = REPO_ROOT / "deploy"
COMPOSE_FILE = REPO_ROOT / "docker-compose.yml"
LOCAL_DOCKERFILE = DEPLOY / "local" / "Dockerfile"
CLOUD_DOCKERFILE = DEPLOY / "cloud" / "Dockerfile"
HEALTHCHECK = DEPLOY / "healthcheck.py"
INSTALL_SH = DEPLOY / "local" / "install.sh"
SERVICES = {"appliance", "cloud", "db", "printer-kitchen", "printer-bar"}


# --- helpers ---------------------------------------------------------------------------------------------------


def _compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(COMPOSE_FILE.read_text())
    return data


def _services() -> dict[str, dict[str, Any]]:
    services: dict[str, dict[str, Any]] = _compose()["services"]
    return services


def _interpolated(value: str) -> str:
    """Compose's ${NAME:-default} with nothing set, as on a fresh checkout."""
    return re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", value)


def _env_files(service: dict[str, Any]) -> list[dict[str, Any]]:
    entries = service.get("env_file", [])
    entries = [entries] if isinstance(entries, str) else entries
    return [{"path": e, "required": True} if isinstance(e, str) else {"required": True, **e} for e in entries]


def _port_pairs(service: dict[str, Any]) -> list[tuple[int, int]]:
    pairs = []
    for spec in service.get("ports", []):
        host, _, container = str(spec).rpartition(":")
        pairs.append((int(host.rpartition(":")[2]), int(container.split("/")[0])))
    return pairs


@dataclass(frozen=True)
class Instruction:
    keyword: str
    args: str


@dataclass
class Stage:
    image: str
    name: str | None
    flags: list[str]
    instructions: list[Instruction]

    def all(self, keyword: str) -> list[str]:
        return [i.args for i in self.instructions if i.keyword == keyword]


def _dockerfile(path: Path) -> tuple[dict[str, str], list[Stage]]:
    """The global ARG defaults and the stages (continuation lines joined, comments dropped)."""
    logical: list[Instruction] = []
    current = ""
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        keyword, _, args = (current + line).partition(" ")
        logical.append(Instruction(keyword.upper(), args.strip()))
        current = ""
    assert not current, f"{path}: a continuation line runs off the end"
    global_args: dict[str, str] = {}
    stages: list[Stage] = []
    for instruction in logical:
        if instruction.keyword == "FROM":
            words = instruction.args.split()
            flags = [w for w in words if w.startswith("--")]
            rest = [w for w in words if not w.startswith("--")]
            image = re.sub(r"\$\{(\w+)\}", lambda m: global_args.get(m.group(1), m.group(0)), rest[0])
            name = rest[2] if len(rest) == 3 and rest[1].upper() == "AS" else None
            stages.append(Stage(image=image, name=name, flags=flags, instructions=[]))
        elif not stages:
            assert instruction.keyword == "ARG", f"{path}: only ARG may come before the first FROM"
            arg_name, _, default = instruction.args.partition("=")
            global_args[arg_name] = default
        else:
            stages[-1].instructions.append(instruction)
    return global_args, stages


def _copy_parts(args: str) -> tuple[dict[str, str], list[str], str]:
    """A COPY's --flags, sources and destination (shell or JSON form)."""
    words: list[str] = json.loads(args) if args.startswith("[") else shlex.split(args)
    flags = dict(w[2:].partition("=")[::2] for w in words if w.startswith("--"))
    paths = [w for w in words if not w.startswith("--")]
    return flags, paths[:-1], paths[-1]


def _exec_form(args: str) -> list[str]:
    assert args.startswith("["), f"use the exec form (JSON) so signals reach the process: {args}"
    words: list[str] = json.loads(args)
    return words


def _dockerignore_patterns() -> list[str]:
    lines = (REPO_ROOT / ".dockerignore").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _pattern_regex(pattern: str) -> re.Pattern[str]:
    out = ""
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out, i = out + "(?:.*/)?", i + 3
        elif pattern.startswith("**", i):
            out, i = out + ".*", i + 2
        elif pattern[i] == "*":
            out, i = out + "[^/]*", i + 1
        elif pattern[i] == "?":
            out, i = out + "[^/]", i + 1
        else:
            out, i = out + re.escape(pattern[i]), i + 1
    return re.compile(out + r"\Z")


def _dockerignored(relative: str, patterns: list[str]) -> bool:
    """Docker's rule: the last matching pattern wins, and excluding a directory excludes what is inside it."""
    parts = relative.split("/")
    prefixes = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    ignored = False
    for pattern in patterns:
        negated = pattern.startswith("!")
        regex = _pattern_regex(pattern.lstrip("!").strip("/"))
        if any(regex.match(prefix) for prefix in prefixes):
            ignored = not negated
    return ignored


def _healthcheck_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("tavolo_healthcheck", HEALTHCHECK)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _install_constant(name: str) -> str:
    match = re.search(rf"^{name}=(\S+)$", INSTALL_SH.read_text(), re.MULTILINE)
    assert match, f"install.sh sets no {name}"
    return match.group(1)


def _unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(path.read_text())
    return parser


# --- docker-compose.yml ----------------------------------------------------------------------------------------


class TestComposeServices:
    def test_the_appliance_two_printers_the_cloud_and_its_database_are_the_services(self) -> None:
        assert set(_services()) == SERVICES

    def test_every_service_restarts_unless_stopped(self) -> None:
        for name, service in _services().items():
            assert service.get("restart") == "unless-stopped", name

    def test_every_service_has_a_healthcheck_with_a_command_and_retries(self) -> None:
        for name, service in _services().items():
            check = service.get("healthcheck")
            assert check, f"{name} has no healthcheck"
            assert check["test"][0] in ("CMD", "CMD-SHELL"), name
            assert len(check["test"]) >= 2, name
            assert check.get("retries", 0) >= 1, name
            assert check.get("interval"), name

    def test_every_depends_on_names_a_real_service_with_a_condition(self) -> None:
        services = _services()
        for name, service in services.items():
            for dependency, spec in service.get("depends_on", {}).items():
                assert dependency in services, f"{name} -> {dependency}"
                assert dependency != name
                assert spec["condition"] in ("service_started", "service_healthy"), f"{name} -> {dependency}"

    def test_the_appliance_does_not_wait_for_the_cloud(self) -> None:
        # A restaurant takes orders while the internet (and so the cloud) is down.
        assert "cloud" not in _services()["appliance"].get("depends_on", {})

    def test_the_cloud_starts_once_its_database_is_healthy(self) -> None:
        assert _services()["cloud"]["depends_on"]["db"]["condition"] == "service_healthy"


class TestComposeBuildsAndFiles:
    def test_every_build_names_a_dockerfile_in_the_repository(self) -> None:
        built = {name: s["build"] for name, s in _services().items() if "build" in s}
        assert set(built) == SERVICES - {"db"}
        for name, build in built.items():
            context = (REPO_ROOT / build["context"]).resolve()
            assert context == REPO_ROOT, f"{name}: the Dockerfiles expect the repository root as context"
            assert (context / build["dockerfile"]).is_file(), name

    def test_services_sharing_an_image_tag_share_its_build(self) -> None:
        by_image: dict[str, list[dict[str, Any]]] = {}
        for service in _services().values():
            if "build" in service:
                by_image.setdefault(service["image"], []).append(service["build"])
        for image, builds in by_image.items():
            assert all(b == builds[0] for b in builds), image

    def test_the_required_env_files_exist_and_the_optional_ones_stay_out_of_git_and_images(self) -> None:
        patterns = _dockerignore_patterns()
        for name, service in _services().items():
            for entry in _env_files(service):
                if entry["required"]:
                    assert (REPO_ROOT / entry["path"]).is_file(), f"{name}: {entry['path']}"
                    assert entry["path"].endswith(".env.example"), f"{name}: only examples are in the repository"
                else:
                    assert _dockerignored(entry["path"], patterns), f"{name}: {entry['path']} would enter images"

    def test_each_backend_loads_its_own_example(self) -> None:
        services = _services()
        assert _env_files(services["appliance"])[0]["path"] == "deploy/local/appliance.env.example"
        assert _env_files(services["cloud"])[0]["path"] == "deploy/cloud/cloud.env.example"


class TestComposeVolumesAndPorts:
    def test_named_volumes_are_declared_and_every_declared_one_is_used(self) -> None:
        declared = set(_compose().get("volumes", {}))
        used = set()
        for service in _services().values():
            for mount in service.get("volumes", []):
                source = mount.split(":")[0]
                if not source.startswith((".", "/", "~")):
                    used.add(source)
        assert used == declared == {"appliance-data", "backups", "cloud-db"}

    def test_the_appliance_keeps_its_database_and_backups_on_volumes(self) -> None:
        appliance = _services()["appliance"]
        targets = {mount.split(":")[1] for mount in appliance["volumes"]}
        settings = ApplianceSettings(_env_file=None, database_url=appliance["environment"]["DATABASE_URL"])
        assert str(settings.data_dir) in targets
        assert appliance["environment"]["BACKUP_DIR"] in targets

    def test_postgres_keeps_its_data_on_a_volume(self) -> None:
        targets = {mount.split(":")[1] for mount in _services()["db"]["volumes"]}
        assert "/var/lib/postgresql/data" in targets

    def test_published_ports_are_what_the_images_expose_and_the_backends_listen_on(self) -> None:
        services = _services()
        for name, dockerfile, default_port in (
            ("appliance", LOCAL_DOCKERFILE, ApplianceSettings.model_fields["port"].default),
            ("cloud", CLOUD_DOCKERFILE, CloudSettings.model_fields["port"].default),
        ):
            _, stages = _dockerfile(dockerfile)
            exposed = {int(port.split("/")[0]) for args in stages[-1].all("EXPOSE") for port in args.split()}
            assert _port_pairs(services[name]) == [(default_port, default_port)], name
            assert exposed == {default_port}, name

    def test_only_the_appliance_and_the_cloud_are_published(self) -> None:
        published = {name for name, service in _services().items() if service.get("ports")}
        assert published == {"appliance", "cloud"}


class TestComposePrinters:
    @pytest.mark.parametrize(("service", "printer_name"), [("printer-kitchen", "kitchen"), ("printer-bar", "bar")])
    def test_each_printer_is_the_simulator_listening_on_9100_for_the_appliance(
        self, service: str, printer_name: str
    ) -> None:
        spec = _services()[service]
        command = spec["command"]
        assert command[:4] == ["python", "-m", "local_backend", "printer-sim"]
        options = dict(zip(command[4::2], command[5::2], strict=True))
        # The simulator binds 127.0.0.1 by default: inside a container only 0.0.0.0 is reachable by the appliance.
        assert options == {"--host": "0.0.0.0", "--port": "9100", "--name": printer_name}  # noqa: S104
        assert spec["expose"] == ["9100"]
        assert spec["healthcheck"]["test"][-1] == "escpos://127.0.0.1:9100"
        assert spec["image"] == _services()["appliance"]["image"]

    def test_the_appliance_waits_for_healthy_printers(self) -> None:
        depends = _services()["appliance"]["depends_on"]
        assert {name: spec["condition"] for name, spec in depends.items()} == {
            "printer-kitchen": "service_healthy",
            "printer-bar": "service_healthy",
        }


class TestComposeEnvironment:
    def test_the_cloud_reaches_postgres_in_the_db_service_with_its_credentials(self) -> None:
        services = _services()
        url = _interpolated(services["cloud"]["environment"]["DATABASE_URL"])
        db_env = {key: _interpolated(value) for key, value in services["db"]["environment"].items()}
        match = re.fullmatch(r"postgresql\+psycopg://([^:]+):([^@]+)@db:5432/(\w+)", url)
        assert match, url
        assert match.groups() == (db_env["POSTGRES_USER"], db_env["POSTGRES_PASSWORD"], db_env["POSTGRES_DB"])

    def test_the_database_password_comes_from_one_variable_in_both_places(self) -> None:
        services = _services()
        assert "${POSTGRES_PASSWORD:-" in services["cloud"]["environment"]["DATABASE_URL"]
        assert services["db"]["environment"]["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:-")

    def test_the_appliance_talks_to_the_bundled_cloud_by_default(self) -> None:
        url = _interpolated(_services()["appliance"]["environment"]["CLOUD_URL"])
        assert url == f"http://cloud:{CloudSettings.model_fields['port'].default}"

    def test_every_container_healthcheck_names_a_target_the_script_knows(self) -> None:
        module = _healthcheck_module()
        for name, service in _services().items():
            test = service["healthcheck"]["test"]
            if test[0] == "CMD" and "/app/healthcheck.py" in test:
                url = module.target_url(test[-1], {})
                assert url.startswith(("http://127.0.0.1:", "escpos://127.0.0.1:")), name


# --- Dockerfiles -------------------------------------------------------------------------------------------------


@pytest.fixture(params=[LOCAL_DOCKERFILE, CLOUD_DOCKERFILE], ids=["appliance", "cloud"])
def dockerfile(request: pytest.FixtureRequest) -> Path:
    path: Path = request.param
    return path


class TestDockerfileStages:
    def test_node_builds_the_web_apps_on_the_build_platform_and_slim_python_runs(self, dockerfile: Path) -> None:
        _, stages = _dockerfile(dockerfile)
        assert len(stages) == 3
        web, python, runtime = stages
        assert web.image.startswith("node:22")
        assert web.name == "web"
        # Built once natively and copied into every architecture's image: no emulated Vite, no arch downloads.
        assert "--platform=$BUILDPLATFORM" in web.flags
        assert python.image == runtime.image == "python:3.11-slim-bookworm"
        assert not runtime.flags, "the runtime must be built for the target platform"

    def test_python_dependencies_come_from_the_lock_without_dev_tools(self, dockerfile: Path) -> None:
        _, stages = _dockerfile(dockerfile)
        syncs = [args for args in stages[1].all("RUN") if "uv sync" in args]
        assert syncs
        assert all("--frozen" in args and "--no-dev" in args for args in syncs)

    def test_uv_is_the_version_the_makefile_uses(self, dockerfile: Path) -> None:
        _, stages = _dockerfile(dockerfile)
        makefile = re.search(r"^UV_VERSION := (\S+)$", (REPO_ROOT / "Makefile").read_text(), re.MULTILINE)
        assert makefile
        assert f"UV_VERSION={makefile.group(1)}" in stages[1].all("ARG")

    def test_copy_from_names_an_earlier_stage(self, dockerfile: Path) -> None:
        _, stages = _dockerfile(dockerfile)
        for index, stage in enumerate(stages):
            earlier = {s.name for s in stages[:index]}
            for args in stage.all("COPY"):
                flags, _, _ = _copy_parts(args)
                if "from" in flags:
                    assert flags["from"] in earlier, args

    def test_every_copy_source_is_in_the_repository_and_not_dockerignored(self, dockerfile: Path) -> None:
        _, stages = _dockerfile(dockerfile)
        patterns = _dockerignore_patterns()
        for stage in stages:
            for args in stage.all("COPY"):
                flags, sources, _ = _copy_parts(args)
                if "from" in flags:
                    continue
                for source in sources:
                    assert (REPO_ROOT / source).exists(), source
                    assert not _dockerignored(source, patterns), source

    def test_the_files_inside_copied_directories_reach_the_build(self, dockerfile: Path) -> None:
        # node_modules, dist and bytecode are rebuilt inside the image; every other file must get there.
        _, stages = _dockerfile(dockerfile)
        patterns = _dockerignore_patterns()
        generated = {"node_modules", "dist", "__pycache__", ".vite", "test-results"}
        for stage in stages:
            for args in stage.all("COPY"):
                flags, sources, _ = _copy_parts(args)
                for source in [] if "from" in flags else sources:
                    if not (REPO_ROOT / source).is_dir():
                        continue
                    for root, dirs, files in os.walk(REPO_ROOT / source):
                        dirs[:] = [d for d in dirs if d not in generated]
                        for file in files:
                            relative = Path(root, file).relative_to(REPO_ROOT).as_posix()
                            if not relative.endswith((".pyc", ".tsbuildinfo")):
                                assert not _dockerignored(relative, patterns), relative


class TestDockerfileRuntime:
    def test_it_runs_as_a_user_that_is_not_root(self, dockerfile: Path) -> None:
        _, stages = _dockerfile(dockerfile)
        users = stages[-1].all("USER")
        assert users
        assert users[-1] not in ("root", "0")
        assert f"--uid {10001}" in " ".join(stages[-1].all("RUN")), "a fixed uid, for bind-mounted directories"

    def test_the_command_runs_a_package_of_the_repository(self, dockerfile: Path) -> None:
        _, stages = _dockerfile(dockerfile)
        command = _exec_form(stages[-1].all("CMD")[-1])
        assert command[:2] == ["python", "-m"]
        assert (REPO_ROOT / command[2] / "__main__.py").is_file()
        copied = {source for args in stages[1].all("COPY") for source in _copy_parts(args)[1]}
        assert {command[2], "shared", "pyproject.toml", "uv.lock"} <= copied

    def test_the_healthcheck_runs_the_copied_script(self, dockerfile: Path) -> None:
        _, stages = _dockerfile(dockerfile)
        check = stages[-1].all("HEALTHCHECK")[-1]
        command = _exec_form(check[check.index("CMD ") + 4 :])
        destinations = {_copy_parts(args)[2]: _copy_parts(args)[1] for args in stages[-1].all("COPY")}
        assert command[:2] == ["python", "/app/healthcheck.py"]
        assert destinations["/app/healthcheck.py"] == ["deploy/healthcheck.py"]
        assert _healthcheck_module().target_url(command[2], {}).startswith("http://127.0.0.1:")

    def test_web_dir_points_at_the_copied_apps(self, dockerfile: Path) -> None:
        _, stages = _dockerfile(dockerfile)
        env = " ".join(stages[-1].all("ENV"))
        web_dir = re.search(r"WEB_DIR=(\S+)", env)
        assert web_dir
        web_copies = [_copy_parts(a)[2] for a in stages[-1].all("COPY") if _copy_parts(a)[0].get("from") == "web"]
        assert web_dir.group(1) in web_copies

    def test_the_appliance_database_defaults_to_the_data_volume(self) -> None:
        _, stages = _dockerfile(LOCAL_DOCKERFILE)
        runtime = stages[-1]
        assert "DATABASE_URL=sqlite:////data/pos.db" in " ".join(runtime.all("ENV"))
        assert runtime.all("VOLUME") == ['["/data"]']
        assert _exec_form(runtime.all("CMD")[-1]) == ["python", "-m", "local_backend"]

    def test_the_cloud_image_serves_its_sysadmin_panel(self) -> None:
        _, stages = _dockerfile(CLOUD_DOCKERFILE)
        assert any("--workspace=apps/sysadmin" in args for args in stages[0].all("RUN"))
        assert "WEB_DIR=/app/frontends/dist/sysadmin" in " ".join(stages[-1].all("ENV"))


class TestDockerignore:
    @pytest.mark.parametrize(
        "path",
        [".venv/bin/python", ".git/HEAD", "frontends/node_modules/vite/package.json", "frontends/dist/waiter/x.js",
         "data/pos.db", "tests/conftest.py", ".env", "deploy/local/appliance.env", "local_backend/__pycache__/a.pyc"],
    )  # fmt: skip
    def test_local_state_secrets_and_tests_stay_out_of_the_images(self, path: str) -> None:
        assert _dockerignored(path, _dockerignore_patterns())

    @pytest.mark.parametrize(
        "path", ["deploy/local/appliance.env.example", "frontends/package-lock.json", "uv.lock", "README.md"]
    )
    def test_what_the_builds_need_gets_in(self, path: str) -> None:
        assert not _dockerignored(path, _dockerignore_patterns())


# --- deploy/healthcheck.py, against real sockets ------------------------------------------------------------------


@pytest.fixture
def http_server() -> Iterator[tuple[int, dict[str, int]]]:
    """An HTTP server on 127.0.0.1 answering every GET with the status in `state["status"]`."""
    state = {"status": 200}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state["last_path_ok"] = int(self.path == "/api/system/health")
            self.send_response(state["status"])
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def _run_healthcheck(target: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("PORT", "SSL_CERTFILE")}
    return subprocess.run(
        [sys.executable, str(HEALTHCHECK), target],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=20,
        check=False,
    )


class TestHealthcheckScript:
    def test_a_healthy_appliance_passes(self, http_server: tuple[int, dict[str, int]]) -> None:
        port, state = http_server
        result = _run_healthcheck("appliance", PORT=str(port))
        assert result.returncode == 0, result.stderr
        assert state["last_path_ok"] == 1

    def test_an_error_status_fails(self, http_server: tuple[int, dict[str, int]]) -> None:
        port, state = http_server
        state["status"] = 503
        result = _run_healthcheck(f"http://127.0.0.1:{port}/health")
        assert result.returncode == 1
        assert "HTTP 503" in result.stderr

    def test_nothing_listening_fails(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        result = _run_healthcheck("cloud", PORT=str(port))
        assert result.returncode == 1
        assert "unhealthy" in result.stderr

    def test_an_appliance_serving_tls_is_checked_over_https(self) -> None:
        module = _healthcheck_module()
        url = module.target_url("appliance", {"SSL_CERTFILE": "/etc/tavolo/tls/cert.pem", "PORT": "8443"})
        assert url == "https://127.0.0.1:8443/api/system/health"
        assert module.target_url("cloud", {}) == "http://127.0.0.1:8001/health"

    def test_a_printer_that_answers_its_status_passes(self) -> None:
        with SimulatedPrinter(name="kitchen") as printer:
            result = _run_healthcheck(f"escpos://127.0.0.1:{printer.port}")
        assert result.returncode == 0, result.stderr

    def test_a_printer_out_of_paper_still_answers_so_its_network_side_is_healthy(self) -> None:
        with SimulatedPrinter(name="bar") as printer:
            printer.set_fault(PrinterFault.PAPER_OUT)
            result = _run_healthcheck(f"escpos://127.0.0.1:{printer.port}")
        assert result.returncode == 0, result.stderr

    def test_a_printer_that_refuses_connections_fails(self) -> None:
        with SimulatedPrinter(name="bar") as printer:
            printer.set_fault(PrinterFault.REFUSE)
            result = _run_healthcheck(f"escpos://127.0.0.1:{printer.port}")
        assert result.returncode == 1

    def test_an_unknown_target_fails_rather_than_passing(self) -> None:
        assert _run_healthcheck("ftp://127.0.0.1/").returncode == 1
        assert _run_healthcheck("").returncode == 1


# --- systemd units -------------------------------------------------------------------------------------------------


class TestApplianceUnit:
    UNIT = DEPLOY / "local" / "tavolo.service"

    def test_it_runs_the_installed_venv_as_the_tavolo_user_and_restarts_always(self) -> None:
        service = _unit(self.UNIT)["Service"]
        executable, *arguments = service["ExecStart"].split()
        assert executable == f"{_install_constant('APP_DIR')}/.venv/bin/python"
        assert arguments == ["-m", "local_backend"]
        assert (REPO_ROOT / "local_backend" / "__main__.py").is_file()
        assert service["User"] == service["Group"] == _install_constant("SERVICE_USER")
        assert service["Restart"] == "always"

    def test_it_reads_the_settings_file_the_installer_writes(self) -> None:
        service = _unit(self.UNIT)["Service"]
        env_file = _install_constant("ENV_FILE").replace("$CONF_DIR", _install_constant("CONF_DIR"))
        assert service["EnvironmentFile"] == env_file
        assert service["WorkingDirectory"] == _install_constant("APP_DIR")

    def test_it_may_write_only_its_data_directory(self) -> None:
        text = self.UNIT.read_text()
        service = _unit(self.UNIT)["Service"]
        assert service["ProtectSystem"] == "strict"
        assert re.findall(r"^ReadWritePaths=(.*)$", text, re.MULTILINE) == [_install_constant("DATA_DIR")]
        assert service["NoNewPrivileges"] == "yes"
        assert service["CapabilityBoundingSet"] == ""

    def test_it_starts_on_boot(self) -> None:
        assert _unit(self.UNIT)["Install"]["WantedBy"] == "multi-user.target"

    def test_the_journal_limits_parse_and_cap_its_size(self) -> None:
        journal = _unit(DEPLOY / "local" / "journald-tavolo.conf")["Journal"]
        assert journal["SystemMaxUse"].endswith("M")
        assert journal["Storage"] == "persistent"


class TestCloudUnit:
    UNIT = DEPLOY / "cloud" / "tavolo-cloud@.service"

    def test_each_instance_serves_its_port_on_loopback_with_one_worker(self) -> None:
        service = _unit(self.UNIT)["Service"]
        executable, *arguments = service["ExecStart"].split()
        assert executable == "/opt/tavolo-cloud/.venv/bin/python"
        assert arguments == ["-m", "cloud_backend", "--host", "127.0.0.1", "--port", "%i", "--workers", "1"]
        assert (REPO_ROOT / "cloud_backend" / "__main__.py").is_file()
        assert service["Restart"] == "always"
        assert service["User"] == "tavolo"
        assert service["EnvironmentFile"] == "/etc/tavolo-cloud/cloud.env"

    def test_the_instances_are_the_ports_nginx_balances_over(self) -> None:
        ports = re.findall(r"tavolo-cloud@(\d+)", self.UNIT.read_text().split("[Unit]")[0])
        upstream = re.findall(r"server 127\.0\.0\.1:(\d+)", (DEPLOY / "cloud" / "tavolo-cloud.conf").read_text())
        assert sorted(set(ports)) == sorted(upstream) == ["8001", "8002", "8003", "8004"]


# --- nginx ---------------------------------------------------------------------------------------------------------


def _nginx_text() -> str:
    lines = (DEPLOY / "cloud" / "tavolo-cloud.conf").read_text().splitlines()
    return "\n".join(line.split("#", 1)[0] for line in lines)


def _nginx_servers(text: str) -> list[str]:
    """The body of each top-level server { } block."""
    bodies = []
    for match in re.finditer(r"^server \{", text, re.MULTILINE):
        depth, index = 0, match.end() - 1
        for index in range(match.end() - 1, len(text)):
            depth += {"{": 1, "}": -1}.get(text[index], 0)
            if depth == 0:
                break
        bodies.append(text[match.end() : index])
    return bodies


class TestNginxSite:
    def test_braces_balance(self) -> None:
        text = _nginx_text()
        assert text.count("{") == text.count("}")

    def test_http_answers_the_acme_challenge_and_sends_everything_else_to_https(self) -> None:
        plain = [body for body in _nginx_servers(_nginx_text()) if re.search(r"listen 80;", body)]
        assert len(plain) == 1
        assert "location ^~ /.well-known/acme-challenge/" in plain[0]
        assert "return 301 https://$host$request_uri;" in plain[0]

    def test_https_uses_the_lets_encrypt_certificate_of_its_server_name(self) -> None:
        tls = [body for body in _nginx_servers(_nginx_text()) if "listen 443 ssl" in body]
        assert len(tls) == 1
        name = re.search(r"server_name (\S+);", tls[0])
        assert name
        live = f"/etc/letsencrypt/live/{name.group(1)}"
        assert f"ssl_certificate {live}/fullchain.pem;" in tls[0]
        assert f"ssl_certificate_key {live}/privkey.pem;" in tls[0]
        assert re.search(r"ssl_protocols TLSv1\.2 TLSv1\.3;", tls[0])

    def test_it_proxies_to_the_cloud_upstream_with_the_real_client_address(self) -> None:
        text = _nginx_text()
        upstreams = set(re.findall(r"^upstream (\w+) \{", text, re.MULTILINE))
        targets = set(re.findall(r"proxy_pass http://(\w+);", text))
        assert targets
        assert targets <= upstreams
        # The cloud throttles logins per address: the header must be nginx's peer, not what the client claims.
        assert "proxy_set_header X-Forwarded-For $remote_addr;" in text
        assert "proxy_set_header X-Forwarded-Proto $scheme;" in text
        assert "keepalive " in text
        assert 'proxy_set_header Connection "";' in text

    def test_metrics_are_not_served_to_the_internet(self) -> None:
        block = re.search(r"location = /metrics \{([^}]*)\}", _nginx_text())
        assert block
        assert "return 404;" in block.group(1)
        assert "proxy_pass" not in block.group(1)
