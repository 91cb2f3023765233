from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from classifier import Predictor, __version__
from classifier.interfaces.cli import main
from classifier.modeling.storage import card_path


@pytest.fixture
def posts_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "posts"
    (folder / "sub").mkdir(parents=True)
    (folder / "ad.txt").write_text("מבצע ענק! קוד הנחה 20% לכל האתר, הלינק בביו", encoding="utf-8")
    (folder / "sub" / "chat.txt").write_text("\ufeffמישהו יודע אם יש גשם מחר בצפון?", encoding="utf-8")
    (folder / "notes.md").write_text("not a post", encoding="utf-8")
    return folder


def test_cli_version_and_help(runner: CliRunner) -> None:
    assert runner.invoke(main, ["--version"]).output.strip() == f"promo, version {__version__}"
    for command in (["train", "--help"], ["score", "--help"]):
        result = runner.invoke(main, command)
        assert result.exit_code == 0
        assert "Examples:" in result.output


def test_cli_train_writes_model_and_card_and_prints_cv_metrics(
    runner: CliRunner, corpus_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "m.npz"
    result = runner.invoke(main, ["train", str(corpus_file), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "5-fold cross-validation: precision" in result.stdout
    assert "ROC-AUC" in result.stdout
    assert f"wrote model {out}" in result.stderr
    card = json.loads(card_path(out).read_text(encoding="utf-8"))
    assert card["training_data"]["rows"] == {"organic": 24, "promotional": 24}


def test_cli_train_reports_skipped_rows(runner: CliRunner, corpus_file: Path, tmp_path: Path) -> None:
    with corpus_file.open("a", encoding="utf-8") as handle:
        handle.write(",1\nבוקר טוב,maybe\n")
    result = runner.invoke(main, ["train", str(corpus_file), "--out", str(tmp_path / "m.npz")])
    assert result.exit_code == 0
    assert "skipped 1 row(s) with empty text: posts.csv:50" in result.stderr
    assert "skipped 1 row(s) with unknown label: posts.csv:51" in result.stderr


def test_cli_train_errors_are_one_line_with_exit_1(runner: CliRunner, tmp_path: Path) -> None:
    small = tmp_path / "small.csv"
    small.write_text("text,label\nמבצע,1\nשלום,0\n", encoding="utf-8")
    result = runner.invoke(main, ["train", str(small), "--out", str(tmp_path / "m.npz")])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1].startswith("error: the training data has 1 ")
    assert "Traceback" not in result.output


def test_cli_train_needs_out_with_data(runner: CliRunner, corpus_file: Path) -> None:
    result = runner.invoke(main, ["train", str(corpus_file)])
    assert result.exit_code == 2
    assert "pass --out PATH" in result.stderr


def test_cli_score_folder_table(runner: CliRunner, model_file: Path, posts_dir: Path) -> None:
    result = runner.invoke(main, ["score", str(posts_dir), "--model", str(model_file)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["score", "label", "disclosure", "source"]
    assert [line.split()[-1] for line in lines[1:]] == [
        str(posts_dir / "ad.txt"),
        str(posts_dir / "sub" / "chat.txt"),
    ]
    ad, chat = (float(line.split()[0]) for line in lines[1:])
    assert ad > chat


def test_cli_score_csv_and_jsonl_agree(runner: CliRunner, model_file: Path, posts_dir: Path) -> None:
    as_csv = runner.invoke(main, ["score", str(posts_dir), "--model", str(model_file), "--format", "csv"])
    as_jsonl = runner.invoke(main, ["score", str(posts_dir), "--model", str(model_file), "--format", "jsonl"])
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    records = [json.loads(line) for line in as_jsonl.stdout.splitlines()]
    assert [r["source"] for r in rows] == [r["source"] for r in records]
    assert [float(r["score"]) for r in rows] == [r["score"] for r in records]
    assert {r["label"] for r in records} <= {"promotional", "organic"}


def test_cli_score_stdin_lines_and_threshold(runner: CliRunner, model_file: Path) -> None:
    text = "מבצע ענק באתר\n\nשבת שלום לכולם\n"
    result = runner.invoke(
        main,
        ["score", "-", "--lines", "--format", "jsonl", "--threshold", "0", "--model", str(model_file)],
        input=text,
    )
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["source"] for r in records] == ["<stdin>:1", "<stdin>:3"]
    assert {r["label"] for r in records} == {"promotional"}


def test_cli_score_bad_inputs_are_reported_and_the_rest_scored(
    runner: CliRunner, model_file: Path, posts_dir: Path, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    legacy = tmp_path / "legacy.txt"
    legacy.write_bytes("מבצע חם".encode("cp1255"))
    args = ["score", str(tmp_path / "missing.txt"), str(empty), str(legacy), str(posts_dir / "ad.txt")]
    result = runner.invoke(main, [*args, "--model", str(model_file), "--format", "csv"])
    assert result.exit_code == 1
    errors = result.stderr.splitlines()
    assert f"error: {tmp_path / 'missing.txt'}: no such file" in errors
    assert f"error: {empty}: empty; nothing to score" in errors
    assert len(errors) == 3  # the two above and the count; the Windows-1255 file is detected and scored
    assert [row.split(",")[0] for row in result.stdout.splitlines()[1:]] == [
        str(legacy),
        str(posts_dir / "ad.txt"),
    ]


def test_cli_score_same_post_in_every_encoding_scores_the_same(
    runner: CliRunner, model_file: Path, tmp_path: Path
) -> None:
    post = "מבצע חם על כל הנעליים, 40% הנחה רק היום! פרטים בטלפון 052-7654321"
    paths = []
    for encoding in (
        "utf-8",
        "utf-8-sig",
        "utf-16",
        "utf-16-le-bom",
        "utf-16-be-bom",
        "cp1255",
        "iso-8859-8",
    ):
        path = tmp_path / f"{encoding}.txt"
        if encoding.endswith("-bom"):
            codec = encoding.removesuffix("-bom")
            path.write_bytes(("\ufeff" + post).encode(codec))
        else:
            path.write_bytes(post.encode(encoding))
        paths.append(str(path))
    result = runner.invoke(main, ["score", *paths, "--model", str(model_file), "--format", "csv"])
    assert result.exit_code == 0, result.stderr
    scores = {row.split(",")[1] for row in result.stdout.splitlines()[1:]}
    assert len(result.stdout.splitlines()) == 8 and len(scores) == 1


def test_cli_score_reads_windows_1255_with_encoding(
    runner: CliRunner, model_file: Path, tmp_path: Path
) -> None:
    legacy = tmp_path / "legacy.txt"
    legacy.write_bytes("מבצע חם".encode("cp1255"))
    result = runner.invoke(main, ["score", str(legacy), "--encoding", "cp1255", "--model", str(model_file)])
    assert result.exit_code == 0


def test_cli_score_missing_model_is_an_error(runner: CliRunner, posts_dir: Path, tmp_path: Path) -> None:
    result = runner.invoke(main, ["score", str(posts_dir), "--model", str(tmp_path / "none.npz")])
    assert result.exit_code == 1
    assert "no model there; train one with `promo train DATA --out" in result.stderr


def test_cli_score_usage_errors_exit_2(runner: CliRunner, model_file: Path) -> None:
    assert runner.invoke(main, ["score"]).exit_code == 2
    assert runner.invoke(main, ["score", "-", "--format", "xml", "--model", str(model_file)]).exit_code == 2
    assert runner.invoke(main, ["score", "-", "--threshold", "2", "--model", str(model_file)]).exit_code == 2


def test_python_m_classifier_runs_like_promo() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "classifier", "--help"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0
    assert "Usage: promo" in result.stdout


def test_cli_score_lines_reports_a_bad_line_and_scores_the_rest(
    runner: CliRunner, model_file: Path, tmp_path: Path
) -> None:
    mixed = tmp_path / "mixed.txt"
    mixed.write_bytes(
        "\ufeffמבצע באתר\n".encode() + "שלום".encode("cp1255") + b"\n\n" + "בוקר טוב\n".encode()
    )
    result = runner.invoke(
        main, ["score", str(mixed), "--lines", "--format", "csv", "--model", str(model_file)]
    )
    assert result.exit_code == 1
    assert [row.split(",")[0] for row in result.stdout.splitlines()[1:]] == [f"{mixed}:1", f"{mixed}:4"]
    assert f"error: {mixed}:2: undecodable bytes" in result.stderr


def test_cli_score_reports_a_lone_surrogate_and_scores_the_rest(
    runner: CliRunner, model_file: Path, tmp_path: Path
) -> None:
    """A JSON escape of half a surrogate pair is not valid Unicode and could not be printed:
    one line names the row, and the other rows are scored, with their passages printed."""
    rows = tmp_path / "rows.jsonl"
    rows.write_text('{"text": "\\ud83d קוד הנחה בביו"}\n{"text": "שבת שלום לכולם"}\n', encoding="utf-8")
    result = runner.invoke(
        main, ["score", str(rows), "--format", "jsonl", "--passages", "--model", str(model_file)]
    )
    assert result.exit_code == 1
    assert f"error: {rows}:1: a lone surrogate" in result.stderr
    assert [json.loads(line)["source"] for line in result.stdout.splitlines()] == [f"{rows}:2"]


def test_the_library_scores_a_text_holding_a_lone_surrogate(predictor: Predictor) -> None:
    """Predictor takes any str: a lone surrogate is one more character, not a crash."""
    odd = "מבצע ענק רק היום " + chr(0xD83D)
    score = predictor.score(odd)
    assert 0.0 <= score <= 1.0
    assert predictor.passages(odd)[0].score == pytest.approx(score)
    assert predictor.explain(odd).score == pytest.approx(score)


def test_cli_score_lines_of_an_empty_input_is_an_error(runner: CliRunner, model_file: Path) -> None:
    result = runner.invoke(main, ["score", "-", "--lines", "--model", str(model_file)], input="\n  \n")
    assert result.exit_code == 1
    assert "error: <stdin>: empty; nothing to score" in result.stderr


def test_cli_train_add_learns_the_users_posts_and_refuses_too_few(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from classifier.workflows import corpus
    from tests.conftest import ORGANIC, PROMOTIONAL

    bundled = tmp_path / "posts.csv"
    with bundled.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["id", "text", "label", "kind", "domain", "platform"])
        for i, text in enumerate(PROMOTIONAL + ORGANIC):
            writer.writerow([i, text, 1 if i < len(PROMOTIONAL) else 0, "k", f"d{i % 2}", "facebook"])
    monkeypatch.setattr(corpus, "bundled_corpus_path", lambda: bundled)
    labels = tmp_path / "labels.jsonl"
    few = [{"text": f"כתבה על השקת אפליקציה חדשה {i}", "label": "organic"} for i in range(4)]
    labels.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in few), encoding="utf-8")
    out = tmp_path / "corrected.npz"
    result = runner.invoke(main, ["train", "--add", str(labels), "--out", str(out)])
    assert result.exit_code == 1
    assert "only 4 posts of yours (0 promotional, 4 organic); at least 10 are needed" in result.stderr
    many = [{"text": f"כתבה על השקת אפליקציה חדשה מספר {i} בתל אביב", "label": "organic"} for i in range(12)]
    labels.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in many), encoding="utf-8")
    result = runner.invoke(
        main, ["train", "--add", str(labels), "--weight", "2", "--out", str(out), "--seed", "1"]
    )
    assert result.exit_code == 0, result.stderr
    card = json.loads(card_path(out).read_text(encoding="utf-8"))
    assert card["training_data"]["rows"]["organic"] > 12 and card["training_data"]["weighted"] == [1.0, 2.0]
    result = runner.invoke(main, ["train", "--add", str(labels)])
    assert result.exit_code == 2 and "pass --out PATH and no DATA" in result.stderr
