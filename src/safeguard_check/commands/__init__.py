"""Sub-commands kept out of ``cli.py``: each module exposes typer apps/functions and a ``register``."""
