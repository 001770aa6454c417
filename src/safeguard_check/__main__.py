"""``python -m safeguard_check``."""

from safeguard_check.cli import main

main(prog_name="safeguard-check")
