"""The ``coopresearch`` command: validate, derive, report, init, code, train, import-qdpx, export-qdpx, import-docs,
sheets, collect, reconcile.

Library code raises `CoopResearchError`; this module alone turns it into plain lines on
stderr and exit code 1, so a person never sees a traceback for bad input.
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
import tempfile
import traceback
from pathlib import Path

from . import __version__
from .errors import CoopResearchError, DataError

__all__ = ["main"]


def _validate(args) -> int:
    from .study import load_study

    study = load_study(args.study)
    print(f"{args.study}: valid — {len(study.interviews)} interviews, {len(study.quotes)} quotes, "
          f"{len(study.codebook.themes)} themes")
    return 0


def _derive(args) -> int:
    from .processed import derive_study
    from .study import PROCESSED

    manifest = derive_study(args.study, echo=lambda line: print(line, file=sys.stderr))
    print(f"{len(manifest['products'])} products written to {Path(args.study) / PROCESSED} (manifest.json lists them)")
    return 0


def _report(args) -> int:
    from .pipeline import run_report

    run_report(args.study, lang=args.lang, jobs=args.jobs, echo=lambda line: print(line, file=sys.stderr))
    return 0


def _init(args) -> int:
    from .study import init_study

    root = init_study(args.new_study, title=args.title, adapt_codebook=args.adapt_codebook, language=args.language)
    print(f"Created study {root}: fill in data/raw/*.csv (see README.md there), "
          f"then run 'coopresearch validate {root}'")
    return 0


def _mapping(text: str) -> tuple[str, str]:
    column, sep, attribute = text.partition("=")
    if not sep or not column.strip() or not attribute.strip():
        raise argparse.ArgumentTypeError(f"{text!r} is not COLUMN=ATTRIBUTE (e.g. party=Partij)")
    return column.strip(), attribute.strip()


def _import_qdpx(args) -> int:
    from .qdpx import import_qdpx

    study, imported = import_qdpx(args.file, args.study, mapping=dict(args.map or []), codebook_file=args.codebook,
                                  keep_coder_names=args.keep_coder_names, paragraphs=args.paragraphs)
    for note in imported.notes:
        print(f"  {note}")
    print(f"Created study {args.study}: valid — {len(study.interviews)} interviews, {len(study.quotes)} quotes, "
          f"{len(study.codebook.themes)} themes; check study.yml and the codebook, then run "
          f"'coopresearch report {args.study}'")
    return 0


def _export_qdpx(args) -> int:
    from .qdpx import export_qdpx

    out = _output("--out", args.out, args.study, ".qdpx")
    codebook_out = _output("--codebook-out", args.codebook_out, args.study, ".qdc") if args.codebook_out else None
    for path in export_qdpx(args.study, out, codebook_out=codebook_out, lang=args.lang):
        print(f"Wrote {path}")
    return 0


def _import_docs(args) -> int:
    from .interview_docs import import_docs

    interviews, quotes = import_docs(args.files, args.study, language=args.language)
    if interviews or quotes:
        print(f"{args.study}: {interviews} interview(s) and {quotes} quote(s) added; code them with "
              f"'coopresearch sheets {args.study} --coders NAME,NAME'")
    return 0


def _sheets(args) -> int:
    from .coding_round import write_sheets

    written = write_sheets(args.study, args.coders.split(","), quotes=args.quotes, suggest=args.suggest,
                           overwrite=args.overwrite)
    if written:
        print(f"Give each coder their sheet; when they are back in {Path(args.study) / 'coding'}, run "
              f"'coopresearch collect {args.study}'")
    return 0


def _collect(args) -> int:
    from .coding_round import collect

    collect(args.study, replace=args.replace)
    return 0


def _reconcile(args) -> int:
    from .coding_round import write_reconcile

    write_reconcile(args.study, overwrite=args.overwrite)
    return 0


def _read_quotes(path: str):
    """Any CSV (or .xlsx) with quote_id and text, read and checked like the study's own tables."""
    from .errors import Problem
    from .schemas import TableSpec, table_problems
    from .study import cell_problems, read_table

    spec = TableSpec("quotes", ("quote_id",), ("text",), key=("quote_id",))
    table, problems = read_table(Path(path), spec, shown=path)
    if not problems:
        problems += table_problems(spec, table, {}, path=path)
        if "text" not in table.columns:
            problems.append(Problem(path, 1, "text", "required column is missing",
                                    "add a column 'text' to the header: quote_id,text"))
        problems = cell_problems(problems, table)
    if problems:
        raise DataError(problems)
    return table.reset_index(drop=True)


def _output(option: str, value: str, root: str | Path, suffix: str, *, also: list[str | None] = ()) -> Path:
    """An output path the user gave, refused when writing it would overwrite an input (the study's, or ``also``)
    or land in data/raw."""
    from .study import CONFIG, input_files

    path = Path(value)
    resolved, root = path.resolve(), Path(root).resolve()
    parts = resolved.parts
    if any(parts[i:i + 2] == ("data", "raw") for i in range(len(parts))):
        raise CoopResearchError(f"{option} {value}: data/raw holds the study's inputs and is never written — "
                                "write to data/processed or another folder")
    inputs = {(root / name).resolve() for name in input_files(root)} if (root / CONFIG).is_file() else set()
    inputs |= {Path(name).resolve() for name in also if name}
    if resolved in inputs:
        raise CoopResearchError(f"{option} {value}: that is an input of the study (settings, codebook or data) and is "
                                "never overwritten — choose another file name")
    if path.suffix != suffix:
        raise CoopResearchError(f"{option} {value}: the output must be a {suffix} file — give a name ending in {suffix}")
    return path


def _code(args) -> int:
    import pandas as pd

    from .codebook import load_codebook
    from .coding import choose_coder, code_in_languages, guess_language, load_model, quote_languages, study_coder, with_uncoded
    from .reliability import teaching_codes
    from .study import CONFIG, PROCESSED, load_study, without_formulas, write_tables

    root = Path(args.study)
    out = _output("--out", args.out, root, ".csv", also=[args.input]) if args.out else None
    study = load_study(root) if (root / CONFIG).is_file() or args.input is None else None
    quotes = _read_quotes(args.input) if args.input else study.quotes
    codebook = load_codebook(args.codebook) if args.codebook else study.codebook if study else load_codebook("default")
    default = study.language if study else guess_language(quotes["text"].head(200))
    # each quote in its own language (its 'language' cell, else detected), unless --lang forces one
    languages = pd.Series(args.lang, index=quotes.index) if args.lang else quote_languages(quotes, default)
    model = load_model(args.model, codebook=codebook) if args.model else None

    def coder_for(language: str):
        if study and not args.input and args.coder in (None, "hybrid") and not (args.model or args.codebook or args.lang):
            # the study's own quotes, as its reports code them: the model taught by its human codes
            return study_coder(codebook, language, **teaching_codes(study.codings), n_jobs=-1)
        return choose_coder(codebook, language, name=args.coder, model=model if model is None or model.lang == language
                            else None, n_jobs=-1)

    table, used = code_in_languages(quotes, languages, coder_for)
    themed = table["quote_id"].nunique()
    if args.input:  # a quote the coder gave no theme gets a row with an empty theme: it was coded, not forgotten
        table = with_uncoded(table, quotes, used, languages)
    if out is None and args.input:
        without_formulas(table).to_csv(sys.stdout, index=False, lineterminator="\n")
        return 0
    # a file of the user's choosing is opened in a spreadsheet: no cell may start a formula there
    written = write_tables({out.stem: without_formulas(table)}, out.parent) if out else \
        write_tables({"codings_machine": table}, root / PROCESSED)
    coders = ", ".join(f"{(languages == language).sum()} {language} by the {name} coder" for language, name in used.items())
    print(f"{len(quotes)} quotes coded ({coders}), {themed} with a theme, "
          f"{len(table)} codes written to {written[0]}", file=sys.stderr)
    return 0


def _train(args) -> int:
    from .coding import SupervisedCoder, cross_validate, has_packaged_model, quote_languages, save_model
    from .coding.adaptation import AdaptedCoder
    from .reliability import consensus_codes
    from .study import PROCESSED, load_study

    path = _output("--model", args.model, args.study, ".npz") if args.model else None
    study = load_study(args.study)
    codes = consensus_codes(study.codings)
    # the study's language only: quotes in another language would teach this model the wrong words
    same = (quote_languages(study.quotes, study.language) == study.language).to_numpy()
    reviewed = study.quotes[study.quotes["quote_id"].isin(set(study.codings["quote_id"])) & same]
    default = has_packaged_model(study.codebook, study.language)  # the default themes: the packaged model, taught
    coder = AdaptedCoder(study.codebook, lang=study.language) if default else SupervisedCoder(study.codebook, lang=study.language)
    if args.folds:
        scores = cross_validate(coder, reviewed, codes, folds=args.folds)
        print(f"{args.folds}-fold cross-validated agreement with the human consensus codes:")
        print(scores.to_string(index=False))
    path = path or Path(args.study) / PROCESSED / "supervised_model.npz"
    fitted = coder.fit(reviewed, codes)
    save_model(fitted.model_ if default else fitted, path)
    how = "the packaged model on the study's" if default else "on the study's"
    print(f"Trained {how} {len(reviewed)} coded quotes; model saved to {path}", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="coopresearch", description="Reproducible thematic studies of collaboration "
                                     "relationships: validate a study, code its quotes, render its reports.")
    parser.add_argument("--version", action="version", version=f"coopresearch {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser("validate", help="check every input file of a study")
    validate.add_argument("study", nargs="?", default=".", help="study folder (default: current folder)")
    validate.set_defaults(run=_validate)

    derive = commands.add_parser("derive", help="validate, code and analyse the study once: every product a report "
                                 "shows, written to data/processed")
    derive.add_argument("study", nargs="?", default=".", help="study folder (default: current folder)")
    derive.set_defaults(run=_derive)

    report = commands.add_parser("report", help="derive (when the inputs changed), then render the study's reports")
    report.add_argument("study", nargs="?", default=".", help="study folder (default: current folder)")
    report.add_argument("--lang", choices=("nl", "en"), help="report language (default: the study's language)")
    report.add_argument("--jobs", type=int, help="kernels running notebooks at the same time (default: one per core)")
    report.set_defaults(run=_report)

    init = commands.add_parser("init", help="create a new study folder with templates")
    init.add_argument("new_study", metavar="NEW_STUDY", help="folder to create")
    init.add_argument("--title", help="the study's title (default: the folder name)")
    init.add_argument("--language", choices=("nl", "en"), default="nl",
                      help="the study's report language, and of the guidance in report/*.md (default: nl)")
    init.add_argument("--adapt-codebook", action="store_true", help="copy the default codebook into the study as "
                      "codebook.yml to adapt it (default: use the packaged one, 'codebook: default')")
    init.set_defaults(run=_init)

    code = commands.add_parser("code", help="machine-code quotes into the codebook's themes, with evidence")
    code.add_argument("study", nargs="?", default=".", help="study folder (default: current folder)")
    code.add_argument("--input", metavar="CSV", help="code this CSV (columns quote_id,text) instead of the study's quotes; "
                      "without --out the codes go to standard output")
    code.add_argument("--codebook", metavar="YML", help="codebook file or packaged name (default: the study's, else 'default')")
    code.add_argument("--coder", choices=("hybrid", "dictionary", "supervised"),
                      help="hybrid: the codebook's rules checked and completed by a trained model (default when there "
                      "is one: the packaged model for the default codebook's themes, or --model); dictionary: rules only; "
                      "supervised: the --model alone")
    code.add_argument("--model", metavar="FILE", help="a model trained on your study ('coopresearch train') for the "
                      "hybrid or supervised coder; only files written by 'coopresearch train' are read")
    code.add_argument("--out", metavar="CSV", help="output file (default: STUDY/data/processed/codings_machine.csv)")
    code.add_argument("--lang", choices=("nl", "en"), help="language of the quotes (default: the study's, else guessed)")
    code.set_defaults(run=_code)

    train = commands.add_parser("train", help="fit the supervised coder on the study's human codes and save it")
    train.add_argument("study", nargs="?", default=".", help="study folder (default: current folder)")
    train.add_argument("--model", metavar="FILE", help="where to save (default: STUDY/data/processed/supervised_model.npz)")
    train.add_argument("--folds", type=int, default=5, help="cross-validation folds reported first; 0 to skip (default: 5)")
    train.set_defaults(run=_train)

    qdpx_in = commands.add_parser("import-qdpx", help="create a study from a REFI-QDA project (.qdpx) of "
                                  "ATLAS.ti, MAXQDA, NVivo, QualCoder…")
    qdpx_in.add_argument("file", metavar="FILE", help="the .qdpx project (or a bare .qde)")
    qdpx_in.add_argument("--study", required=True, metavar="NEW_STUDY", help="study folder to create (must be new)")
    qdpx_in.add_argument("--map", action="append", type=_mapping, metavar="COLUMN=ATTRIBUTE",
                         help="fill an interview column (organisation, party, role, department, date, pseudonym) from a "
                              "source variable, case or 'set' of the project; repeat for several")
    qdpx_in.add_argument("--codebook", metavar="YML", help="map codes named like this codebook's themes onto them")
    qdpx_in.add_argument("--keep-coder-names", action="store_true",
                         help="keep the tool's user names as coders (default: coder_1, coder_2, …)")
    qdpx_in.add_argument("--paragraphs", action="store_true",
                         help="import every line of the documents nobody coded as an uncoded quote")
    qdpx_in.set_defaults(run=_import_qdpx)

    qdpx_out = commands.add_parser("export-qdpx", help="write the study as a REFI-QDA project (.qdpx) and codebook (.qdc)")
    qdpx_out.add_argument("study", nargs="?", default=".", help="study folder (default: current folder)")
    qdpx_out.add_argument("--out", required=True, metavar="FILE.qdpx", help="project file to write")
    qdpx_out.add_argument("--codebook-out", metavar="FILE.qdc", help="also write the codebook as .qdc")
    qdpx_out.add_argument("--lang", choices=("nl", "en"), help="language of code names (default: the study's language)")
    qdpx_out.set_defaults(run=_export_qdpx)

    docs = commands.add_parser("import-docs", help="read interview reports (.docx, .txt, .md) into a study: one "
                               "interview per file, one quote per paragraph")
    docs.add_argument("files", nargs="+", metavar="FILE", help="interview reports; 'Partij: …', 'Organisatie: …' "
                      "(and Functie, Afdeling, Datum, Pseudoniem) lines at the top")
    docs.add_argument("--study", required=True, metavar="DIR", help="study folder: created when absent, added to when "
                      "it is a study")
    docs.add_argument("--language", choices=("nl", "en"), help="language of a new study (default: guessed from the text)")
    docs.set_defaults(run=_import_docs)

    sheets = commands.add_parser("sheets", help="write a coding sheet (.xlsx) per coder for a blind coding round")
    sheets.add_argument("study", nargs="?", default=".", help="study folder (default: current folder)")
    sheets.add_argument("--coders", required=True, metavar="NAME,NAME", help="the coders, e.g. anna,bram: one "
                        "coding/NAME.xlsx each")
    sheets.add_argument("--quotes", choices=("all", "uncoded", "review"), default="all",
                        help="all quotes (default), those the coder has not coded yet, or review: those of them where "
                        "the machine is unsure, most unsure first")
    sheets.add_argument("--suggest", action="store_true", help="show the machine's themes beside each quote "
                        "(the coding is then no longer blind)")
    sheets.add_argument("--overwrite", action="store_true", help="write over a coder's existing sheet")
    sheets.set_defaults(run=_sheets)

    collect = commands.add_parser("collect", help="read the filled coding sheets (and reconcile.xlsx) into "
                                  "data/raw/codings.csv")
    collect.add_argument("study", nargs="?", default=".", help="study folder (default: current folder)")
    collect.add_argument("--replace", action="store_true", help="replace a coder's codes in codings.csv that the "
                         "sheet changes (default: refuse)")
    collect.set_defaults(run=_collect)

    reconcile = commands.add_parser("reconcile", help="write coding/reconcile.xlsx: the quotes the coders disagree on, "
                                    "for the reconciliation meeting")
    reconcile.add_argument("study", nargs="?", default=".", help="study folder (default: current folder)")
    reconcile.add_argument("--overwrite", action="store_true", help="write over an existing reconcile.xlsx")
    reconcile.set_defaults(run=_reconcile)
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
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM):
            return _bug(exc)
        print(f"error: {exc.filename or 'a file'}: {exc.strerror} — free space or fix the permissions, then run again; "
              "reports and tables were left as they were", file=sys.stderr)
        return 1
    except Exception as exc:
        return _bug(exc)


def _bug(exc: Exception) -> int:
    """A bug, not bad input: the details go to a new private file, a person sees one line."""
    descriptor, log = tempfile.mkstemp(prefix="coopresearch-error-", suffix=".log")  # unique, 0600, no symlink followed
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(traceback.format_exc())
    print(f"error: unexpected {type(exc).__name__}: {exc} — this is a bug in coopresearch; "
          f"please report it with the details in {log}", file=sys.stderr)
    return 2
