"""``python -m factcheck``: the ``factcheck`` command."""

from .cli import cli

cli()
