"""Check hand-written corpus batches and merge them into ``data/posts.csv``.

A batch is a UTF-8 text file in which every post starts with a header line::

    ### label=1 kind=affiliate_code domain=fashion_beauty platform=instagram
    the post text, as many lines as it needs

Usage::

    python data/batch_tool.py check data/batches/b1.txt [more batches...]
    python data/batch_tool.py merge data/batches/b1.txt [more batches...]

``check`` validates the headers, prints counts and lists every near-duplicate
(character 5-gram Jaccard >= 0.6) and repeated opening (same first five words)
within the batches and against ``data/posts.csv``, and, where the real measurement
texts are beside the repository, every post sharing more than two six-word runs with
them. ``merge`` appends the posts that pass to ``data/posts.csv`` with fresh ids,
rejecting the ones that clash, and rewrites the file atomically.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections import Counter
from pathlib import Path

from corpus_rules import (  # beside this script, which Python puts on sys.path
    DOMAINS,
    HARD_ORGANIC_KINDS,
    ORGANIC_KINDS,
    ORGANIC_ONLY_DOMAINS,
    PLATFORMS,
    PROMOTIONAL_KINDS,
    SOFT_PROMOTIONAL_KINDS,
    copied_posts,
    near_duplicate_pairs,
    opening_words,
    real_text_runs,
)

from classifier.modeling.storage import atomic_writer

HERE = Path(__file__).resolve().parent
POSTS = HERE / "posts.csv"
COLUMNS = ["id", "text", "label", "kind", "domain", "platform"]

HEADER = re.compile(r"^###\s+(.*)$")


def parse(path: Path) -> list[dict[str, str]]:
    """Read one batch file into a list of post dicts; raise ValueError on bad headers."""
    posts: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    lines: list[str] = []

    def close() -> None:
        if current is not None:
            current["text"] = "\n".join(lines).strip()
            posts.append(current)

    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        match = HEADER.match(line)
        if match:
            close()
            fields = dict(part.split("=", 1) for part in match.group(1).split() if "=" in part)
            current = {k: fields.get(k, "") for k in ("label", "kind", "domain", "platform")}
            current["where"] = f"{path.name}:{number}"
            lines = []
        elif current is not None:
            lines.append(line)
    close()
    return posts


def problems_of(post: dict[str, str]) -> list[str]:
    """Return what is wrong with one post's fields."""
    found = []
    if post["label"] not in ("0", "1"):
        found.append(f"label {post['label']!r}")
    kinds = PROMOTIONAL_KINDS if post["label"] == "1" else ORGANIC_KINDS
    if post["kind"] not in kinds:
        found.append(f"kind {post['kind']!r} for label {post['label']}")
    if post["domain"] not in DOMAINS:
        found.append(f"domain {post['domain']!r}")
    if post["domain"] in ORGANIC_ONLY_DOMAINS and post["label"] == "1":
        found.append("politics_news is organic only")
    if post["platform"] not in PLATFORMS:
        found.append(f"platform {post['platform']!r}")
    if not post["text"]:
        found.append("empty text")
    return found


def clashes(posts: list[dict[str, str]], existing: list[dict[str, str]]) -> dict[int, str]:
    """Map the index of each post in ``posts`` that clashes with an earlier post to the reason.

    Uses the corpus checks of the test suite: normalised character 5-gram Jaccard
    >= 0.6, or the same first five normalised words.
    """
    pool = existing + posts
    where = [p.get("where") or f"posts.csv id {p['id']}" for p in pool]
    offset = len(existing)
    bad: dict[int, str] = {}
    for i, j, jaccard in near_duplicate_pairs([p["text"] for p in pool], threshold=0.6):
        if j >= offset and j - offset not in bad and (i < offset or i - offset not in bad):
            bad[j - offset] = f"near-duplicate (Jaccard {jaccard:.2f}) of {where[i]}"
    first: dict[str, int] = {}
    for k, post in enumerate(pool):
        opening = opening_words(post["text"])
        if opening is None or (k >= offset and k - offset in bad):
            continue
        if opening in first and k >= offset:
            bad[k - offset] = f"same first five words as {where[first[opening]]}"
        else:
            first.setdefault(opening, k)
    return bad


def copied_from_real_texts(posts: list[dict[str, str]]) -> dict[int, str]:
    """Map the index of each post that copies runs of the real measurement texts to the reason.

    Only where those texts are present beside the repository (else a note on stderr); the
    runs themselves are never printed.
    """
    runs = real_text_runs(6)
    if runs is None:
        print("the real measurement texts are not here: the copying check is skipped", file=sys.stderr)
        return {}
    return {
        k: f"shares {n} six-word runs with the real measurement texts; rewrite it"
        for k, n in copied_posts([post["text"] for post in posts], runs[6]).items()
    }


def read_posts() -> list[dict[str, str]]:
    if not POSTS.exists():
        return []
    with POSTS.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def bucket(text: str) -> str:
    n = len(text.split())
    return "short(<11)" if n < 11 else "medium(11-50)" if n <= 50 else "long(>50)"


def report(posts: list[dict[str, str]]) -> None:
    print(f"{len(posts)} posts")
    for field in ("label", "kind", "domain", "platform"):
        print(f"  {field}: {dict(Counter(p[field] for p in posts).most_common())}")
    print(f"  length: {dict(Counter(bucket(p['text']) for p in posts))}")
    for label, hard in (("0", HARD_ORGANIC_KINDS), ("1", SOFT_PROMOTIONAL_KINDS)):
        of_label = [p for p in posts if p["label"] == label]
        if of_label:
            share = sum(p["kind"] in hard for p in of_label) / len(of_label)
            print(f"  hard-case share of label {label}: {share:.0%}")


def write_posts(rows: list[dict[str, str]]) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    with atomic_writer(POSTS) as stream:
        stream.write(buffer.getvalue().encode("utf-8"))


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] not in ("check", "merge"):
        print(__doc__, file=sys.stderr)
        return 2
    posts: list[dict[str, str]] = []
    for name in argv[1:]:
        posts.extend(parse(Path(name)))
    failed = 0
    for post in posts:
        found = problems_of(post)
        if found:
            failed += 1
            print(f"{post['where']}: {'; '.join(found)}")
    existing = read_posts()
    bad = clashes(posts, existing)
    copied = copied_from_real_texts(posts)
    for i in sorted(bad.keys() | copied.keys()):
        reasons = [r for r in (bad.get(i), copied.get(i)) if r]
        print(f"{posts[i]['where']}: {'; '.join(reasons)}")
    good = [p for i, p in enumerate(posts) if i not in bad and i not in copied and not problems_of(p)]
    report(posts)
    print(f"{failed} with bad fields, {len(bad)} clashing, {len(copied)} copying, {len(good)} clean")
    if argv[0] == "merge":
        next_id = 1 + max((int(p["id"]) for p in existing), default=0)
        for post in good:
            post["id"] = str(next_id)
            next_id += 1
        write_posts(existing + good)
        print(f"merged {len(good)} posts into {POSTS} ({len(existing) + len(good)} in all)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
