"""The config file: settings for extract in one TOML file."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import cli
from pipeline.config import ConfigError, read_config


def test_paths_are_relative_to_the_config_file(tmp_path):
    config = tmp_path / "project" / "municipal-roles.toml"
    config.parent.mkdir()
    config.write_text('model = "de_core_news_md"\npatterns = ["my-patterns"]\nmanifest = "texte/manifest.csv"\n')
    assert read_config(config) == {
        "model": "de_core_news_md",
        "patterns": [config.parent / "my-patterns"],
        "manifest": config.parent / "texte" / "manifest.csv",
    }


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('model = "x"\nmodel = "y"\n', "not a valid TOML file"),
        ('pattern = ["x"]\n', "unknown setting(s): pattern"),
        ('patterns = "x"\n', "patterns must be a list"),
        ("max_file_bytes = 1.5\n", "max_file_bytes must be a int"),
    ],
)
def test_bad_config_files_name_the_file(tmp_path, content, message):
    config = tmp_path / "municipal-roles.toml"
    config.write_text(content)
    with pytest.raises(ConfigError) as error:
        read_config(config)
    assert str(config) in str(error.value) and message in str(error.value)


def test_patterns_list_reads_the_config_in_the_working_folder(tmp_path, monkeypatch):
    (tmp_path / "eigene").mkdir()
    (tmp_path / "eigene" / "roles.jsonl").write_text(
        '{"label": "other_digital", "pattern": [{"LOWER": "ki-lotsin"}], "id": "ki-lotsin"}\n', encoding="utf-8"
    )
    (tmp_path / "municipal-roles.toml").write_text('patterns = ["eigene"]\n')
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli.app, ["patterns", "list", "--category", "other_digital"])
    assert result.exit_code == 0
    assert "ki-lotsin" in result.output and str(Path("eigene") / "roles.jsonl") in result.output


def test_a_bad_config_is_a_usage_error(tmp_path):
    config = tmp_path / "falsch.toml"
    config.write_text("modell = 1\n")
    result = CliRunner().invoke(cli.app, ["extract", str(tmp_path), "--config", str(config)])
    assert result.exit_code == 2
    assert "unknown setting(s): modell" in result.output
