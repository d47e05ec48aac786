"""``data/processed`` on disk: write a derivation, know whether it is fresh, read it back.

`write_products` writes every product of `derive.derive` with a ``manifest.json`` that
records the inputs it was derived from (sha256 of study.yml, the codebook and every raw file),
the package that derived it, and the sha256 and column types of every product. `read_processed`
is the one reader of the notebooks: it derives first when ``data/processed`` is missing or
stale (its inputs or the package changed), and says so.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from functools import cache
from importlib import resources
from pathlib import Path

import networkx as nx
import pandas as pd

from . import __version__
from .errors import CoopResearchError
from .publishing import publish, study_run
from .study import PROCESSED, Study, input_files, load_study, write_tables

__all__ = [
    "MANIFEST",
    "Processed",
    "derive_into",
    "derive_study",
    "expected_inputs",
    "is_fresh",
    "product_files",
    "products_move",
    "read_processed",
    "read_settings",
    "sha256",
    "write_products",
]

MANIFEST = "manifest.json"
FAILED = ".failed"  # left in a staging folder whose derivation failed, so notebooks waiting for it stop
FORMAT = 1


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@cache
def packagesha256() -> str:
    """sha256 of the package's code, codebooks and training data: a derivation is stale when it changes.

    Examples
    --------
    >>> len(packagesha256())
    64
    """
    root = Path(str(resources.files("coopresearch")))
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.suffix in {".py", ".yml", ".csv"} and "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def expected_inputs(root: str | os.PathLike) -> dict:
    """What a fresh derivation of the study in ``root`` records: its inputs' hashes and the package's."""
    root = Path(root)
    return {"format": FORMAT, "coopresearch": __version__, "package_sha256": packagesha256(),
            "inputs": {str(f): sha256(root / f) for f in input_files(root)}}


def _index_names(table: pd.DataFrame) -> list[str]:
    """The index levels worth keeping: named ones (an unnamed index is row numbering, not data)."""
    return [name for name in table.index.names if name is not None]


def write_products(products: dict, folder: Path, *, inputs: dict) -> dict:
    """Write ``products`` into ``folder`` with a manifest of ``inputs`` and every file's sha256; return the manifest.

    Tables are CSV (UTF-8, LF, named index levels as first columns), graphs GraphML and GEXF,
    readings Markdown, settings JSON: re-runs are byte-identical.
    """
    folder.mkdir(parents=True, exist_ok=True)
    entries = {}
    for name, product in sorted(products.items()):
        if isinstance(product, pd.DataFrame):
            index = _index_names(product)
            table = product.reset_index(level=index) if index else product.reset_index(drop=True)
            files = write_tables({name: table}, folder)
            entries[name] = {"kind": "table", "index": index,
                             "columns": {str(c): str(t) for c, t in table.dtypes.items()},
                             # CSV writes '' and NaN alike: text columns holding '' (and no NaN) read back as ''
                             "blank": [str(c) for c in table.columns
                                       if not table[c].isna().any() and table[c].astype(str).eq("").any()]}
        elif isinstance(product, nx.Graph):
            files = write_tables({name: product}, folder)
            entries[name] = {"kind": "graph"}
        elif isinstance(product, str):
            files = [folder / f"{name}.md"]
            files[0].write_text(product.rstrip("\n") + "\n", encoding="utf-8")
            entries[name] = {"kind": "text"}
        elif isinstance(product, dict):
            files = [folder / f"{name}.json"]
            files[0].write_text(json.dumps(product, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
            entries[name] = {"kind": "settings"}
        else:
            raise TypeError(f"product {name!r} is a {type(product).__name__}, not a table, graph, text or settings")
        entries[name]["files"] = {path.name: sha256(path) for path in files}
    manifest = {**inputs, "products": entries}
    # written last and whole (renamed into place): its presence means every product is there
    (folder / f".{MANIFEST}").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(folder / f".{MANIFEST}", folder / MANIFEST)
    return manifest


def product_files(manifest: dict) -> dict[str, str]:
    """Every file a derivation's manifest lists, with its sha256."""
    return {name: sha for entry in manifest["products"].values() for name, sha in entry.get("files", {}).items()}


def _manifest(folder: Path) -> dict | None:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) and isinstance(manifest.get("products"), dict) else None


def is_fresh(root: str | os.PathLike) -> bool:
    """Whether ``root``'s data/processed was derived from its current inputs by this package, files intact.

    Examples
    --------
    >>> import shutil, tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     study = shutil.copytree(MINI_STUDY, Path(tmp) / "mini")
    ...     before = is_fresh(study)
    ...     _ = derive_study(study, echo=lambda line: None)
    ...     before, is_fresh(study)
    (False, True)
    """
    root = Path(root)
    folder = root / PROCESSED
    manifest = _manifest(folder)
    if manifest is None or {k: manifest.get(k) for k in ("format", "coopresearch", "package_sha256", "inputs")} \
            != expected_inputs(root):
        return False
    return all((folder / name).is_file() and sha256(folder / name) == sha for name, sha in product_files(manifest).items())


def derive_study(root: str | os.PathLike, *, echo: Callable[[str], None] = print) -> dict:
    """Validate the study in ``root``, derive every product and publish them to data/processed; return the manifest.

    Everything is written to a staging folder first, so a failed run leaves data/processed as it was.
    """
    root = Path(root).resolve()
    with study_run(root) as stage:
        study = load_study(root)
        echo(f"Deriving {root / PROCESSED} ...")
        manifest = derive_into(study, stage / "processed")
        publish(root, stage, [products_move(stage / "processed", root)])
    return manifest


def derive_into(study: Study, folder: Path) -> dict:
    """Derive ``study`` into ``folder`` (a staging folder) and return the manifest; on failure mark the folder failed."""
    from .derive import derive  # the coder and scikit-learn only when deriving

    try:
        return write_products(derive(study), folder, inputs=expected_inputs(study.root))
    except BaseException:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / FAILED).touch()
        raise


def read_settings(folder: Path) -> dict:
    """The study's settings as derived into ``folder`` (``study.json``)."""
    return json.loads((folder / "study.json").read_text(encoding="utf-8"))


def _wait_for_manifest(folder: Path, *, timeout: float = 1800) -> None:
    """Wait while `coopresearch report` derives into ``folder`` (its kernels start meanwhile)."""
    deadline = time.monotonic() + timeout
    while not (folder / MANIFEST).is_file():
        if (folder / FAILED).exists():
            raise CoopResearchError(f"{folder}: deriving the study failed — see the message of the command")
        if time.monotonic() > deadline:
            raise CoopResearchError(f"{folder}: no derived products after {timeout:.0f} s — run 'coopresearch derive'")
        time.sleep(0.05)


def products_move(staged: Path, root: Path) -> tuple[Path, Path, list[str]]:
    """The `publishing.publish` move of a staged derivation: it replaces the previous derivation's files."""
    previous = _manifest(root / PROCESSED)
    return staged, root / PROCESSED, [*product_files(previous), MANIFEST] if previous else []


class Processed:
    """A study's derived products as written to data/processed; what a notebook shows.

    Examples
    --------
    >>> import shutil, tempfile
    >>> study = shutil.copytree(MINI_STUDY, Path(tempfile.mkdtemp()) / "mini")
    >>> data = read_processed(study)
    data/processed is missing: deriving it again from data/raw ...
    Deriving .../mini/data/processed ...
    >>> data.title, data.names("en")["gemeente"]
    ('Mini study for tests', 'Municipality')
    >>> data.table("interviews_by_party").columns.tolist()
    ['party', 'interviews', 'quotes', 'reported']
    >>> shutil.rmtree(study.parent)
    """

    def __init__(self, folder: Path, manifest: dict):
        self.folder = folder
        self.manifest = manifest
        self.settings = read_settings(folder)

    def _entry(self, name: str, kind: str, lang: str | None) -> tuple[str, dict]:
        for key in ([f"{name}_{lang}"] if lang else []) + [name]:
            entry = self.manifest["products"].get(key)
            if entry is not None and entry["kind"] == kind:
                return key, entry
        raise CoopResearchError(f"{self.folder}: no {kind} '{name}' — derive the study again ('coopresearch derive')")

    def table(self, name: str, lang: str | None = None) -> pd.DataFrame:
        """The table ``name`` (in ``lang`` when it exists per language), with its column types and index."""
        key, entry = self._entry(name, "table", lang)
        if not entry["columns"]:  # a table without columns is an empty file
            return pd.DataFrame()
        table = pd.read_csv(self.folder / f"{key}.csv", dtype=entry["columns"], keep_default_na=False,
                            na_values={c: [""] for c in entry["columns"] if c not in entry["blank"]}, encoding="utf-8")
        return table.set_index(entry["index"]) if entry["index"] else table

    def graph(self, name: str) -> nx.Graph:
        """The graph ``name``, as written to GraphML."""
        key, _ = self._entry(name, "graph", None)
        return nx.read_graphml(self.folder / f"{key}.graphml", node_type=str)

    def text(self, name: str, lang: str) -> str:
        """The Markdown reading ``name`` in ``lang``."""
        key, _ = self._entry(name, "text", lang)
        return (self.folder / f"{key}.md").read_text(encoding="utf-8")

    @property
    def title(self) -> str:
        return self.settings["title"]

    def theme_labels(self, lang: str) -> dict[str, str]:
        return {theme: labels[lang] for theme, labels in self.settings["themes"].items()}

    def party_labels(self, lang: str) -> dict[str, str]:
        return {party: labels[lang] for party, labels in self.settings["parties"].items()}

    def names(self, lang: str) -> dict[str, str]:
        """Theme, party and relationship ids → the reader's words in ``lang`` ('gemeente-domesta' → 'Gemeente – Domesta')."""
        relationships = {relationship: " – ".join(part.capitalize() for part in relationship.split("-"))
                         for relationship in self.settings.get("relationships", {})}
        return {**relationships, **self.theme_labels(lang), **self.party_labels(lang)}


def read_processed(study_dir: str | os.PathLike = "..", processed_dir: str | os.PathLike | None = None, *,
                   echo: Callable[[str], None] = print) -> Processed:
    """The study's derived products, for a notebook; derives them first when missing or stale.

    ``processed_dir`` is given by `coopresearch report`, which renders from a freshly derived
    staging folder; a notebook opened by hand reads ``study_dir/data/processed``.
    """
    if processed_dir:
        folder = Path(processed_dir)
        _wait_for_manifest(folder)
    else:
        root = Path(study_dir)
        folder = root / PROCESSED
        if not is_fresh(root):
            reason = "missing" if _manifest(folder) is None else "out of date (inputs or package changed)"
            echo(f"data/processed is {reason}: deriving it again from data/raw ...")
            derive_study(root, echo=echo)
    manifest = _manifest(folder)
    if manifest is None:
        raise CoopResearchError(f"{folder}: no derived products — run 'coopresearch derive'")
    return Processed(folder, manifest)
