"""Import and export of Iglu-Central-style trees through the management commands."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from iglu.models import Schema

pytestmark = pytest.mark.django_db


def write(root, vendor, name, version, body=None):
    path = root / "schemas" / vendor / name / "jsonschema" / version
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = body or {
        "$schema": "http://iglucentral.com/schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0#",
        "self": {"vendor": vendor, "name": name, "format": "jsonschema", "version": version},
        "type": "object",
    }
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc))
    return path


def test_a_tree_is_imported_in_version_order_with_a_summary_of_rejections(tmp_path):
    for version in ["1-0-10", "1-0-9", "1-0-0", "1-0-1", "1-0-2", "1-0-3", "1-0-4", "1-0-5", "1-0-6", "1-0-7", "1-0-8"]:
        write(tmp_path, "com.acme", "event", version)
    write(tmp_path, "com.acme", "broken", "1-0-0", "{not json")
    write(tmp_path, "com.acme", "skips", "1-0-1")
    out = StringIO()
    call_command("iglu_import", str(tmp_path), stdout=out, verbosity=0)
    assert "created 11, updated 0, unchanged 0, rejected 2" in out.getvalue()
    assert "broken" in out.getvalue() and "skips" in out.getvalue()
    assert Schema.objects.filter(name="event").count() == 11


def test_importing_the_same_tree_again_changes_nothing(tmp_path):
    write(tmp_path, "com.acme", "event", "1-0-0")
    call_command("iglu_import", str(tmp_path), stdout=StringIO(), verbosity=0)
    out = StringIO()
    call_command("iglu_import", str(tmp_path), stdout=out, verbosity=0)
    assert "created 0, updated 0, unchanged 1, rejected 0" in out.getvalue()


def test_a_file_whose_self_block_disagrees_with_its_path_is_rejected(tmp_path):
    body = {
        "$schema": "http://iglucentral.com/schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0#",
        "self": {"vendor": "com.other", "name": "event", "format": "jsonschema", "version": "1-0-0"},
        "type": "object",
    }
    write(tmp_path, "com.acme", "event", "1-0-0", body)
    out = StringIO()
    with pytest.raises(CommandError, match="no schema was imported"):
        call_command("iglu_import", str(tmp_path), stdout=out, verbosity=0)
    assert "rejected 1" in out.getvalue()
    assert "com.other" in out.getvalue()
    assert not Schema.objects.exists()


def test_export_writes_the_same_layout_back(tmp_path):
    write(tmp_path / "in", "com.acme", "event", "1-0-0")
    call_command("iglu_import", str(tmp_path / "in"), stdout=StringIO(), verbosity=0)
    call_command("iglu_export", str(tmp_path / "out"), stdout=StringIO())
    exported = tmp_path / "out" / "schemas" / "com.acme" / "event" / "jsonschema" / "1-0-0"
    assert json.loads(exported.read_text())["self"]["vendor"] == "com.acme"
