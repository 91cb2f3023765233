"""``python -m classifier`` works like ``promo``."""

from classifier.interfaces.cli import main

main(prog_name="promo")
