"""One module per ``kg`` sub-command: ``add_arguments(parser)`` and ``run(args) -> int``."""
