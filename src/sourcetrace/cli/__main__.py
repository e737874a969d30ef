"""``python -m sourcetrace.cli``: the same as the ``sourcetrace`` command."""

from . import app

app()
