"""Measure where "too little Hebrew to judge" should begin (the thresholds of classifier/text/language.py).

    python benchmarks/language.py

Hebrew side: the corpus (data/posts.csv) and, when present, the real Hebrew texts of
../shared/corpora (web pages, social text, Facebook comments). Other side, made here:
English paragraphs (the documentation files that installed Python packages ship:
licences, READMEs), Latin gibberish (seeded random letters and spaces), binary data read
as text (seeded random bytes decoded as Windows-1252 and as UTF-8 with replacement),
and symbol or emoji strings. For each candidate share of Hebrew letters, the table gives
how many texts of each side fall on the wrong side of it. Results are printed and written
between the language markers of benchmarks/README.md.
"""

from __future__ import annotations

import csv
import random
import site
import sys
from datetime import date
from pathlib import Path

from readme_section import write_section  # beside this script, which Python puts on sys.path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from classifier.text.language import MIN_HEBREW_LETTERS, MIN_HEBREW_SHARE, hebrew_letters  # noqa: E402

CORPORA = REPO.parent / "shared" / "corpora"
SHARES = (0.05, 0.1, 0.2, 0.3, 0.4, 0.5)


def hebrew_texts() -> dict[str, list[str]]:
    sets: dict[str, list[str]] = {}
    with (REPO / "data" / "posts.csv").open(encoding="utf-8", newline="") as stream:
        sets["corpus posts"] = [row["text"] for row in csv.DictReader(stream)]
    for name, path in (
        ("real web pages", CORPORA / "real-he" / "web.csv"),
        ("real social text", CORPORA / "real-he" / "social.csv"),
        ("real Facebook comments", CORPORA / "hebrew-fb-comments" / "comments.csv"),
    ):
        if path.is_file():
            with path.open(encoding="utf-8", newline="") as stream:
                sets[name] = [row["text"] for row in csv.DictReader(stream) if row["text"].strip()]
        else:
            print(f"{path} not found; left out", file=sys.stderr)
    return sets


def other_texts() -> dict[str, list[str]]:
    rng = random.Random(0)
    english: list[str] = []
    for folder in site.getsitepackages():
        for path in sorted(Path(folder).glob("*.dist-info/*")):
            if path.name.upper().startswith(("LICENSE", "LICENCE", "README", "METADATA")) and path.is_file():
                text = path.read_text(encoding="utf-8", errors="replace")
                english += [p.strip() for p in text.split("\n\n") if len(p.split()) >= 8][:20]
    english = english[:2000]
    letters = "abcdefghijklmnopqrstuvwxyz"
    gibberish = [
        " ".join(
            "".join(rng.choice(letters) for _ in range(rng.randint(2, 9))) for _ in range(rng.randint(3, 40))
        )
        for _ in range(1000)
    ]
    binary = []
    for i in range(1000):
        data = bytes(rng.randrange(256) for _ in range(rng.randint(20, 400)))
        binary.append(
            data.decode("cp1252", errors="replace") if i % 2 else data.decode("utf-8", errors="replace")
        )
    symbols = [
        "".join(rng.choice("🔥😍👉✨!?.,:;-_/*#@$%&()[]0123456789 ") for _ in range(rng.randint(1, 30)))
        for _ in range(500)
    ]
    return {
        "English paragraphs": english,
        "Latin gibberish": gibberish,
        "binary read as text": binary,
        "symbols and emoji": symbols,
    }


def share(text: str) -> tuple[float, int]:
    hebrew, letters = hebrew_letters(text)
    return (hebrew / letters if letters else 0.0), hebrew


def main() -> None:
    hebrew, other = hebrew_texts(), other_texts()
    lines = [
        f"Measured {date.today()}. Command: `python benchmarks/language.py`. "
        "A text is judged Hebrew when at least "
        "a share S of its letters (outside links, e-mail addresses and @mentions) are Hebrew "
        "and it has at least "
        f"{MIN_HEBREW_LETTERS} Hebrew letters; the package uses S = {MIN_HEBREW_SHARE}.",
        "",
        "| texts | n | " + " | ".join(f"wrong at S={s}" for s in SHARES) + " |",
        "|---|---:" + "|---:" * len(SHARES) + "|",
    ]
    for side, sets in (("Hebrew", hebrew), ("not Hebrew", other)):
        for name, texts in sets.items():
            measured = [share(t) for t in texts]
            cells = []
            for s in SHARES:
                is_hebrew = [h >= MIN_HEBREW_LETTERS and value >= s for value, h in measured]
                wrong = sum(not x for x in is_hebrew) if side == "Hebrew" else sum(is_hebrew)
                cells.append(f"{wrong} ({100 * wrong / len(texts):.2f}%)")
            lines.append(f"| {name} ({side}) | {len(texts):,} | " + " | ".join(cells) + " |")
    text = "\n".join(lines)
    print(text)
    write_section("language", text)


if __name__ == "__main__":
    main()
