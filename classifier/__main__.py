"""``python -m classifier`` works like ``promo``."""

from classifier.cli import main

main(prog_name="promo")
