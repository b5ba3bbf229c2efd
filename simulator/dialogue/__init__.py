"""The dialogue engine: a pure state machine over a validated scenario (no UI, no audio)."""
