"""The terminal trainer (Textual): ``relance`` with no argument opens it."""
