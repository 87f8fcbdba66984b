"""`selfdirect subject_access`: the same files from the command line, audited the same way."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from selfdirect.audit.models import AuditEvent, EventType
from tests.conftest import World
from tests.subject_access.conftest import STORY, History


def _produced(world: World) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(person=world.person, event_type=EventType.SUBJECT_ACCESS_PRODUCED)
    )


def test_writes_both_files_and_audits_as_system(
    world: World, history: History, tmp_path: Path
) -> None:
    out = StringIO()
    call_command(
        "subject_access",
        "--person",
        str(world.person.pk),
        "--reason",
        "SAR-2026-020",
        "--json",
        str(tmp_path / "out.json"),
        "--pdf",
        str(tmp_path / "out.pdf"),
        stdout=out,
    )
    data = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert data["header"]["person_id"] == world.person.pk
    assert data["header"]["produced_by"] == "System"
    assert data["sections"]["story"][0]["text"] == STORY
    assert (tmp_path / "out.pdf").read_bytes().startswith(b"%PDF")
    assert "out.json" in out.getvalue() and "audit trail" in out.getvalue()
    (event,) = _produced(world)
    assert event.actor is None and event.actor_label == "System"
    assert event.reason == "SAR-2026-020"
    assert event.new_values["formats"] == ["json", "pdf"]


def test_an_administrator_can_be_named(world: World, tmp_path: Path) -> None:
    call_command(
        "subject_access",
        "--person",
        str(world.person.pk),
        "--reason",
        "SAR-2026-021",
        "--json",
        str(tmp_path / "out.json"),
        "--user",
        world.administrator.username,
        stdout=StringIO(),
    )
    assert not (tmp_path / "out.pdf").exists()
    (event,) = _produced(world)
    assert event.actor == world.administrator
    assert event.new_values["formats"] == ["json"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--reason", "SAR", "--user", "allocated"], "not an administrator"),
        (["--reason", "SAR", "--user", "nobody-at-all"], "No user has the username"),
        (["--reason", "   "], "request reference or reason"),
        (["--reason", "SAR", "--no-files"], "Give --json PATH, --pdf PATH, or both"),
    ],
)
def test_refuses_without_a_proper_request(
    world: World, tmp_path: Path, args: list[str], message: str
) -> None:
    files = [] if "--no-files" in args else ["--json", str(tmp_path / "out.json")]
    args = [a for a in args if a != "--no-files"]
    with pytest.raises(CommandError, match=message):
        call_command("subject_access", "--person", str(world.person.pk), *args, *files)
    assert not (tmp_path / "out.json").exists()
    assert _produced(world) == []


def test_unknown_person(world: World, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No person has record number 999999"):
        call_command(
            "subject_access",
            "--person",
            "999999",
            "--reason",
            "SAR",
            "--pdf",
            str(tmp_path / "out.pdf"),
        )
    assert not AuditEvent.objects.filter(event_type=EventType.SUBJECT_ACCESS_PRODUCED).exists()


def test_missing_folder_is_refused_before_anything_is_produced(
    world: World, tmp_path: Path
) -> None:
    with pytest.raises(CommandError, match="There is no folder"):
        call_command(
            "subject_access",
            "--person",
            str(world.person.pk),
            "--reason",
            "SAR",
            "--json",
            str(tmp_path / "missing" / "out.json"),
        )
    assert _produced(world) == []
