"""Scoring frameworks: one module per framework, composable."""
