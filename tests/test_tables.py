"""Real inputs at scale: tables in and out, and bad input that never loses work."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from classifier.interfaces.cli import main
from classifier.workflows.inputs import MAX_POST_CHARS

ROWS = [
    ("p-17", "מבצע ענק! 50% הנחה על כל החנות, התקשרו 050-1234567", "dana"),
    ("p-03", "שבת שלום לכולם, איזה גשם היה היום", "avi"),
    ("p-99", "", "empty"),
    ("p-42", "קוד הנחה SHIRA10 לכל האתר, הלינק בביו", "shira"),
]


def _write(path: Path) -> Path:
    if path.suffix == ".parquet":
        pa = pytest.importorskip("pyarrow")
        import pyarrow.parquet as parquet

        columns = {
            "post_id": [r[0] for r in ROWS],
            "body": [r[1] for r in ROWS],
            "author": [r[2] for r in ROWS],
        }
        parquet.write_table(pa.table(columns), path)
    elif path.suffix == ".jsonl":
        lines = [json.dumps({"post_id": i, "body": t, "author": a}, ensure_ascii=False) for i, t, a in ROWS]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    else:
        with path.open("w", encoding="utf-8", newline="") as stream:
            writer = csv.writer(stream, delimiter="\t" if path.suffix == ".tsv" else ",")
            writer.writerow(["post_id", "body", "author"])
            writer.writerows(ROWS)
    return path


def _read(path: Path) -> list[dict[str, object]]:
    if path.suffix == ".parquet":
        import pyarrow.parquet as parquet

        return parquet.read_table(path).to_pylist()  # type: ignore[no-any-return]
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


@pytest.mark.parametrize("source", [".csv", ".tsv", ".jsonl", ".parquet"])
@pytest.mark.parametrize("target", [".csv", ".jsonl", ".parquet"])
def test_score_tables_in_and_out_keep_ids_columns_and_order(
    runner: CliRunner, model_file: Path, tmp_path: Path, source: str, target: str
) -> None:
    table = _write(tmp_path / f"export{source}")
    out = tmp_path / f"scored{target}"
    args = ["score", str(table), "--text-column", "body", "--id-column", "post_id", "--keep", "author"]
    result = runner.invoke(main, [*args, "--model", str(model_file), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    rows = _read(out)
    assert [str(r["id"]) for r in rows] == [r[0] for r in ROWS]
    assert [r["author"] for r in rows] == [r[2] for r in ROWS]
    empty = rows[2]
    assert empty["score"] in (None, "") and empty["label"] in (None, "")
    assert float(rows[0]["score"]) > float(rows[1]["score"])  # type: ignore[arg-type]


def test_score_table_without_the_text_column_says_which_columns_exist(
    runner: CliRunner, model_file: Path, tmp_path: Path
) -> None:
    table = _write(tmp_path / "export.csv")
    result = runner.invoke(main, ["score", str(table), "--model", str(model_file)])
    assert result.exit_code == 1
    assert "no column 'text' (found: post_id, body, author); pass --text-column" in result.stderr


def test_score_rows_that_are_not_text_are_reported_and_the_rest_scored(
    runner: CliRunner, model_file: Path, tmp_path: Path
) -> None:
    table = tmp_path / "mixed.jsonl"
    lines = [
        json.dumps({"id": 1, "text": "מבצע היום בלבד"}),
        json.dumps({"id": 2, "text": {"nested": ["a"]}}),
        "{broken",
        json.dumps({"id": 4, "text": "בוקר טוב"}),
    ]
    table.write_text("\n".join(lines), encoding="utf-8")
    result = runner.invoke(main, ["score", str(table), "--model", str(model_file), "--format", "jsonl"])
    assert result.exit_code == 1
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["1", "4"]
    assert f"{table}:2: column 'text' holds a dict, not text; not scored" in result.stderr
    assert f"{table}:3: not valid JSON" in result.stderr
    assert "Traceback" not in result.output


def test_score_a_field_far_longer_than_the_csv_limit_is_cut_with_a_warning(
    runner: CliRunner, model_file: Path, tmp_path: Path
) -> None:
    table = tmp_path / "long.csv"
    long_post = "מבצע ענק על הכל " * 12_000  # about 190,000 characters
    with table.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows([["id", "text"], ["a", long_post], ["b", "שלום"]])
    result = runner.invoke(main, ["score", str(table), "--model", str(model_file), "--format", "csv"])
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.splitlines()) == 3
    assert f"{table}:2: longer than {MAX_POST_CHARS} characters; scored on its start" in result.stderr


def test_output_refuses_to_replace_an_input_and_reports_unwritable_places(
    runner: CliRunner, model_file: Path, tmp_path: Path
) -> None:
    table = _write(tmp_path / "export.csv")
    before = table.read_bytes()
    result = runner.invoke(main, ["score", str(table), "--text-column", "body", "-o", str(table)])
    assert result.exit_code == 2 and "is also an input" in result.stderr
    assert table.read_bytes() == before
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x", encoding="utf-8")
    args = ["score", str(table), "--text-column", "body", "--model", str(model_file)]
    result = runner.invoke(main, [*args, "-o", str(blocked / "out.csv")])
    assert result.exit_code == 1
    assert "cannot create folder" in result.stderr and "Traceback" not in result.output
    if os.path.exists("/dev/full"):
        result = runner.invoke(main, [*args, "-o", "/dev/full/out.csv"])
        assert result.exit_code == 1 and "Traceback" not in result.output


def test_train_out_refuses_to_overwrite_what_is_not_a_model(
    runner: CliRunner, corpus_file: Path, tmp_path: Path
) -> None:
    precious = tmp_path / "notes.npz"
    precious.write_text("my notes", encoding="utf-8")
    result = runner.invoke(main, ["train", str(corpus_file), "--out", str(precious)])
    assert result.exit_code == 1
    assert "exists and is not a model of this package; choose another --out or pass --force" in result.stderr
    assert precious.read_text(encoding="utf-8") == "my notes"
    result = runner.invoke(main, ["train", str(corpus_file), "--out", str(corpus_file)])
    assert result.exit_code == 2 and "a model file ends in .npz" in result.stderr
    assert corpus_file.read_text(encoding="utf-8").startswith("text,label")


def test_score_endless_zero_bytes_is_cut_not_read_whole(runner: CliRunner, model_file: Path) -> None:
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero on this system")
    result = runner.invoke(main, ["score", "/dev/zero", "--model", str(model_file), "--format", "jsonl"])
    assert result.exit_code == 0
    record = json.loads(result.stdout)
    assert record["label"] is None and record["language"] == "other"


def test_lines_in_utf16_are_read(runner: CliRunner, model_file: Path, tmp_path: Path) -> None:
    path = tmp_path / "posts.txt"
    path.write_bytes("מבצע היום\nשבת שלום\n".encode("utf-16"))
    for extra in ([], ["--encoding", "utf-16"]):
        result = runner.invoke(main, ["score", str(path), "--lines", "--model", str(model_file), *extra])
        assert result.exit_code == 0, result.stderr
        assert result.stdout.count(f"{path}:") == 2


def test_highlight_never_sends_the_posts_control_sequences_to_the_terminal(
    runner: CliRunner, model_file: Path, tmp_path: Path
) -> None:
    post = tmp_path / "evil.txt"
    post.write_text("מבצע ענק!\x1b[2J\x1b]0;pwned\x07 היום. קוד הנחה בקישור. רק עד מחר!", encoding="utf-8")
    result = runner.invoke(main, ["score", str(post), "--highlight", "--explain", "--model", str(model_file)])
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout


@settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.binary(max_size=400))
def test_score_any_bytes_never_crashes(model_file: Path, tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "random.txt"
    path.write_bytes(data)
    for args in ([], ["--lines"]):
        result = CliRunner().invoke(main, ["score", str(path), "--model", str(model_file), *args])
        assert result.exit_code in (0, 1), result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)


@settings(
    max_examples=15,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.lists(st.tuples(st.text(max_size=30), st.one_of(st.text(max_size=60), st.none())), max_size=6))
def test_score_any_table_never_crashes(
    model_file: Path, tmp_path: Path, rows: list[tuple[str, str | None]]
) -> None:
    path = tmp_path / "random.jsonl"
    path.write_text("\n".join(json.dumps({"id": i, "text": t}) for i, t in rows), encoding="utf-8")
    result = CliRunner().invoke(main, ["score", str(path), "--model", str(model_file), "--format", "jsonl"])
    assert result.exit_code in (0, 1), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert len(result.stdout.splitlines()) == len([r for r in rows])


def test_output_to_a_device_or_folder_is_refused_and_leaves_it_alone(
    runner: CliRunner, model_file: Path, tmp_path: Path
) -> None:
    table = _write(tmp_path / "export.csv")
    args = ["score", str(table), "--text-column", "body", "--model", str(model_file)]
    for target in ("/dev/full", str(tmp_path)):
        if not os.path.exists(target):
            continue
        before = os.stat(target)
        result = runner.invoke(main, [*args, "-o", target + ("" if target.startswith("/dev") else "/")])
        assert result.exit_code in (1, 2) and "Traceback" not in result.output
        after = os.stat(target)
        assert (before.st_mode, before.st_ino) == (after.st_mode, after.st_ino)


def test_an_interrupted_write_leaves_no_partial_file(tmp_path: Path) -> None:
    from classifier.workflows.output import ScoredPost, write_results

    def results():  # type: ignore[no-untyped-def]
        yield ScoredPost("a", 0.5, "organic", {"language": "he"})
        raise KeyboardInterrupt  # Ctrl-C in the middle of the run

    target = tmp_path / "out.csv"
    with pytest.raises(KeyboardInterrupt):
        write_results(results(), target)
    assert list(tmp_path.iterdir()) == []
