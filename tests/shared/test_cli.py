"""What both backends' command lines share: where they listen, and the OpenAPI dump."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from shared import cli


def parse(*argv: str) -> Any:
    parser = cli.server_parser("python -m thing", "A thing", default_port=8123)
    sub = parser.add_subparsers(dest="command")
    cli.add_openapi_command(sub)
    cli.add_makemigration_command(sub)
    return parser.parse_args(list(argv))


class TestBindAddress:
    def test_the_command_line_wins(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("HOST", "10.0.0.9")
        monkeypatch.setenv("PORT", "9999")
        args = parse("--host", "127.0.0.1", "--port", "8500")
        assert cli.bind_address(args, host="0.0.0.0", port=8123) == ("127.0.0.1", 8500)  # noqa: S104

    def test_then_the_environment(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("HOST", "10.0.0.9")
        monkeypatch.setenv("PORT", "9999")
        assert cli.bind_address(parse(), host="0.0.0.0", port=8123) == ("10.0.0.9", 9999)  # noqa: S104

    def test_then_the_settings(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.delenv("HOST", raising=False)
        monkeypatch.delenv("PORT", raising=False)
        assert cli.bind_address(parse(), host="0.0.0.0", port=8123) == ("0.0.0.0", 8123)  # noqa: S104


class TestParser:
    def test_the_help_names_the_backends_default_port(self, capsys: pytest.CaptureFixture[str]) -> None:
        with pytest.raises(SystemExit):
            parse("--help")
        assert "port (default 8123 or $PORT)" in capsys.readouterr().out

    def test_the_developer_commands(self) -> None:
        assert parse("--access-log", "openapi", "-o", "x.json").output == "x.json"
        args = parse("makemigration", "add widgets")
        assert (args.command, args.message, args.access_log) == ("makemigration", "add widgets", False)


class TestOpenapiDump:
    def test_the_schema_is_written_as_stable_json_and_the_scratch_dir_removed(self, tmp_path: Path) -> None:
        scratch: list[Path] = []

        def schema_in(tmp: Path) -> dict[str, Any]:
            scratch.append(tmp)
            assert tmp.is_dir()
            return {"paths": {}, "info": {"title": "Ταβέρνα"}, "openapi": "3.1.0"}

        out = tmp_path / "openapi.json"
        assert cli.dump_openapi(schema_in, str(out)) == 0
        text = out.read_text(encoding="utf-8")
        assert json.loads(text)["info"]["title"] == "Ταβέρνα"
        assert text.index('"info"') < text.index('"openapi"') < text.index('"paths"')  # sorted keys
        assert "Ταβέρνα" in text  # not \\u-escaped
        assert text.endswith("}\n")
        assert not scratch[0].exists()

    def test_without_an_output_file_it_goes_to_stdout(self, capsys: pytest.CaptureFixture[str]) -> None:
        cli.dump_openapi(lambda tmp: {"openapi": "3.1.0"}, None)
        assert json.loads(capsys.readouterr().out) == {"openapi": "3.1.0"}
