"""Sub-commands of ``relance``: one module each, imported only when run."""
