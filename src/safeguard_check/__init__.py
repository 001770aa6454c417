"""safeguard-check: checks My Number card delegation plans against legal baselines."""

__version__ = "0.1.0"
