"""``python -m missilekg.server.cli``: the ``missilekg`` command without its console script."""

from missilekg.server.cli import main

main()
