from __future__ import annotations

import json
from pathlib import Path

import pytest

from classifier.core.errors import ClassifierError
from classifier.core.labels import parse_label
from classifier.modeling.dataset import read_labelled
from tests.conftest import write_corpus


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", 1),
        ("0", 0),
        ("Promotional", 1),
        ("ORGANIC", 0),
        ("true", 1),
        ("False", 0),
        ("yes", 1),
        ("No", 0),
        (" yes ", 1),
        ("maybe", None),
        ("", None),
        ("2", None),
    ],
)
def test_parse_label_accepts_documented_spellings(value: str, expected: int | None) -> None:
    assert parse_label(value) == expected


def test_read_labelled_csv_reports_skipped_rows_with_line_numbers(tmp_path: Path) -> None:
    path = write_corpus(
        tmp_path / "a.csv",
        [("מבצע", "1"), ("", "1"), ("שלום\nעולם", "0"), ("בוקר", "maybe"), ("  ", "0"), ("ערב", "no")],
    )
    posts = read_labelled([path])
    assert posts.texts == ["מבצע", "שלום\nעולם", "ערב"]
    assert posts.labels == [1, 0, 0]
    # the multi-line record starts on line 4 and ends on line 5, so "בוקר" is on line 6
    assert posts.skipped == {"empty text": ["a.csv:3", "a.csv:7"], "unknown label": ["a.csv:6"]}
    assert posts.skipped_summary()[0] == "skipped 2 row(s) with empty text: a.csv:3, a.csv:7"


def test_read_labelled_concatenates_csv_tsv_and_jsonl(tmp_path: Path) -> None:
    csv_file = write_corpus(tmp_path / "a.csv", [("אחד", "1")])
    tsv_file = write_corpus(tmp_path / "b.tsv", [("שתיים, עם פסיק", "0")], delimiter="\t")
    jsonl = tmp_path / "c.jsonl"
    jsonl.write_text(
        json.dumps({"text": 'שלוש עם "מרכאות"', "label": True}, ensure_ascii=False)
        + "\n\n"
        + json.dumps({"text": "ארבע", "label": "organic"}, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    posts = read_labelled([csv_file, tsv_file, jsonl])
    assert posts.texts == ["אחד", "שתיים, עם פסיק", 'שלוש עם "מרכאות"', "ארבע"]
    assert posts.labels == [1, 0, 1, 0]
    assert posts.sources[-1] == "c.jsonl:3"


def test_read_labelled_reads_utf8_with_bom_and_other_columns(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufeffid,body,is_ad\n7,מבצע חם,yes\n".encode())
    posts = read_labelled([path], text_column="body", label_column="is_ad")
    assert posts.texts == ["מבצע חם"]
    assert posts.columns == {"id": ["7"]}


def test_read_labelled_hash_changes_with_content(tmp_path: Path) -> None:
    path = write_corpus(tmp_path / "a.csv", [("אחד", "1")])
    first = read_labelled([path]).sha256
    write_corpus(path, [("אחד", "0")])
    assert read_labelled([path]).sha256 != first


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.csv", "body,label\nx,1\n", "no column 'text'"),
        ("a.xlsx", "", "unknown file type"),
    ],
)
def test_read_labelled_rejects_bad_files_with_a_clear_message(
    tmp_path: Path, name: str, content: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ClassifierError, match=message):
        read_labelled([path])


def test_read_labelled_skips_bad_json_lines_and_keeps_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    lines = ['{"text": "מבצע", "label": 1}', "{not json}", "[1, 2]", '{"text": {"nested": 1}, "label": 0}']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    posts = read_labelled([path])
    assert posts.texts == ["מבצע"]
    assert posts.skipped["not valid JSON (Expecting property name enclosed in double quotes)"] == [
        "a.jsonl:2"
    ]
    assert posts.skipped["not a JSON object"] == ["a.jsonl:3"]
    assert posts.skipped["column 'text' holds a dict, not text"] == ["a.jsonl:4"]


def test_read_labelled_reads_legacy_encodings_and_names_missing_files(tmp_path: Path) -> None:
    for encoding in ("cp1255", "utf-16", "utf-8-sig"):
        legacy = tmp_path / f"legacy-{encoding}.csv"
        legacy.write_bytes("text,label\nשלום עולם,0\nמבצע ענק,1\n".encode(encoding))
        assert read_labelled([legacy]).texts == ["שלום עולם", "מבצע ענק"]
    with pytest.raises(ClassifierError, match=r"missing\.csv: no such file"):
        read_labelled([tmp_path / "missing.csv"])
