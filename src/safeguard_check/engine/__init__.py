"""Evaluation of rules over facts: durable-rules (production) and a plain-Python reference."""
