"""The ``kg`` command. Thin: it parses arguments, hands them to the module
of the sub-command (``kg/commands/<name>.py``) and returns its exit code.

Exit codes (every sub-command):
  0  done (for build: the build ran; files that failed are in the report)
  1  nothing to show: build built nothing, a query or chain list found no data
  2  wrong arguments (unknown option, missing input path, unknown query)
  3  the installation is broken (ontology, shapes or queries missing or invalid)
  4  an external service failed (kg push: the triple store refused or is unreachable)
"""
from __future__ import annotations

import argparse
import importlib
import sys

from kg import __version__
from kg.errors import UsageError, ValidationSetupError

EXIT_OK, EXIT_NOTHING_BUILT, EXIT_USAGE, EXIT_SETUP, EXIT_SERVICE = 0, 1, 2, 3, 4

# sub-command -> (module, one-line help). A module has
# ``add_arguments(parser)`` and ``run(args) -> int``; it is imported only when
# its command runs (or its arguments are parsed), so ``kg build`` never loads
# the HTTP server and ``kg query`` never loads the PDF reader.
COMMANDS: dict[str, tuple[str, str]] = {
    "build": ("kg.commands.build", "read publications and write the knowledge graph"),
    "chains": ("kg.commands.chains", "list the follow-up chains of a built graph, longest first"),
    "query": ("kg.commands.query", "run a named SPARQL query (or a .rq file) against a build"),
    "serve": ("kg.commands.serve", "serve a build as a read-only SPARQL endpoint with a query page"),
    "push": ("kg.commands.push", "upload a build to a triple store, one named graph per publication"),
    "synth": ("kg.commands.synth", "write N realistic generated publications and their truth (gold) for tests and benchmarks"),
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kg", description="Knowledge graph of Dutch parliamentary written questions.")
    parser.add_argument("--version", action="version", version=f"kg {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (module, help_text) in COMMANDS.items():
        command = sub.add_parser(name, help=help_text, description=help_text)
        importlib.import_module(module).add_arguments(command)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on bad arguments, 0 on --help
        return int(exc.code or 0)
    module = importlib.import_module(COMMANDS[args.command][0])
    try:
        return int(module.run(args))
    except UsageError as exc:
        print(f"kg {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ValidationSetupError as exc:
        print(f"kg {args.command}: broken installation: {exc}", file=sys.stderr)
        return EXIT_SETUP


if __name__ == "__main__":
    sys.exit(main())
