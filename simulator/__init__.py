"""Relance simulator: dialogue engine, TUI, voice and storage."""
