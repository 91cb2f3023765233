"""Learning from corrections: does ``promo train --add`` fix what reviewers corrected, and at what cost?

    python benchmarks/corrections.py [FILE] [--weight 3]

FILE holds reviewers' corrections of one kind. The default,
``benchmarks/data/corrections-brand-replies.jsonl``, is 200 public replies of businesses'
customer service to complaints ("we checked, send us your order number in a private message"),
written by the project and kept out of the corpus, all organic: their purpose is one customer's
problem, not a sale, but they speak in a business's "we" with contact details, a kind the corpus
does not cover. ``benchmarks/data/corrections-comments.jsonl`` holds 200 short comments that
speak to people in the second person or as "we", which the model mostly gets right already.
The script measures:

- the default model: how many of the corrections it gets wrong;
- under 5-fold cross-validation over the corrections: a model trained on the corpus's training
  split plus four fifths of them (each counting ``--weight`` times) is asked about the fifth it
  did not see; how many it now gets right, how many of those it got wrong before are now right,
  and how many it got right before are now wrong;
- the held-out split's macro-F1 of the default model and of a model trained with all the
  corrections.

Results go to stdout and between the corrections markers of benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from readme_section import write_section  # beside this script, which Python puts on sys.path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from classifier import Predictor  # noqa: E402
from classifier.modeling.dataset import read_labelled  # noqa: E402
from classifier.workflows.corrections import compare  # noqa: E402

DEFAULT = Path(__file__).resolve().parent / "data" / "corrections-brand-replies.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description="Learning from corrections.")
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--weight", type=float, default=3.0)
    args = parser.parse_args()
    corrections = read_labelled([args.file])
    old = Predictor.load()
    result = compare(old, corrections, args.weight)
    wrong = result.posts - result.old_right
    lines = [
        f"Measured {date.today()}: {result.posts} corrections from `{args.file.relative_to(REPO)}` "
        f"({corrections.counts()['organic']} organic, {corrections.counts()['promotional']} promotional), "
        f"weight {args.weight:g}. Command: `python benchmarks/corrections.py` "
        "(what `promo evaluate --add FILE` prints).",
        "",
        "| measure | value |",
        "|---|---:|",
        f"| corrections the default model gets wrong | {wrong} of {result.posts} |",
        f"| corrections right after learning from the other four fifths (5-fold CV) | {result.new_right} of "
        f"{result.posts} |",
        f"| of the {wrong} the default model got wrong, right after learning (5-fold CV) | {result.fixed} |",
        f"| right before, wrong after learning (5-fold CV) | {result.broken} |",
        f"| held-out macro-F1, default model | {result.old_heldout_f1:.3f} |",
        f"| held-out macro-F1, trained with all the corrections | {result.new_heldout_f1:.3f} |",
    ]
    text = "\n".join(lines)
    print(text)
    write_section("corrections", text)


if __name__ == "__main__":
    main()
