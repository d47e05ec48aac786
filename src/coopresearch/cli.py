"""The ``coopresearch`` command: validate, report, init.

Library code raises `CoopResearchError`; this module alone turns it into plain lines on
stderr and exit code 1, so a person never sees a traceback for bad input.
"""

from __future__ import annotations

import argparse
import sys

from . import __version__
from .errors import CoopResearchError, DataError

__all__ = ["main"]


def _validate(args) -> int:
    from .study import load_study

    study = load_study(args.study)
    print(f"{args.study}: valid — {len(study.interviews)} interviews, {len(study.quotes)} quotes, "
          f"{len(study.codebook.themes)} themes")
    return 0


def _report(args) -> int:
    from .pipeline import run_report

    run_report(args.study, lang=args.lang, jobs=args.jobs, echo=lambda line: print(line, file=sys.stderr))
    return 0


def _init(args) -> int:
    from .study import init_study

    root = init_study(args.new_study, title=args.title)
    print(f"Created study {root}: fill in data/raw/*.csv (see README.md there), "
          f"then run 'coopresearch validate {root}'")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="coopresearch", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"coopresearch {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser("validate", help="check every input file of a study")
    validate.add_argument("study", nargs="?", default=".", help="study folder (default: current folder)")
    validate.set_defaults(run=_validate)

    report = commands.add_parser("report", help="validate, then render the study's reports as HTML")
    report.add_argument("study", nargs="?", default=".", help="study folder (default: current folder)")
    report.add_argument("--lang", choices=("nl", "en"), help="report language (default: the study's language)")
    report.add_argument("--jobs", type=int, default=2, help="notebooks run at the same time (default: 2)")
    report.set_defaults(run=_report)

    init = commands.add_parser("init", help="create a new study folder with templates")
    init.add_argument("new_study", metavar="NEW_STUDY", help="folder to create")
    init.add_argument("--title", help="the study's title (default: the folder name)")
    init.set_defaults(run=_init)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except DataError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"{len(exc.problems)} problem(s) found; nothing was run.", file=sys.stderr)
        return 1
    except CoopResearchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; reports and tables were left as they were.", file=sys.stderr)
        return 130
