"""One derivation: derive(study) → data/processed → the notebooks' one reader."""

import json
import re
import shutil

import networkx as nx
import pandas as pd
import pytest

from coopresearch import load_study
from coopresearch.cli import main
from coopresearch.derive import LANGUAGE_PRODUCTS, derive
from coopresearch.processed import MANIFEST, Processed, derive_study, is_fresh, read_processed, write_products
from coopresearch.schemas import LANGUAGES
from coopresearch.study import PROCESSED, packaged_notebooks

from .conftest import DATA, copy_study

# archived for replication and other tools, not shown in a report page
# archived, not shown by a notebook; quote_check feeds reports/wederhoor (the quotes to check with each interviewee)
NOT_SHOWN = {"codings_machine", "codes_final", "collaboration_network", "association_test", "study", "quote_check"}


@pytest.fixture(scope="module")
def derived(tmp_path_factory):
    """The mini study, derived once and published to its data/processed."""
    study = copy_study(DATA / "mini", tmp_path_factory.mktemp("derived") / "mini")
    products = derive(load_study(study))
    manifest = derive_study(study, echo=lambda line: None)
    return study, products, manifest


def notebook_code(notebook) -> str:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")


def shown_products() -> set[str]:
    return {name for notebook in packaged_notebooks()
            for name in re.findall(r'data\.(?:table|graph|text)\("(\w+)"', notebook_code(notebook))}


def base_name(product: str) -> str:
    for lang in LANGUAGES:
        if product.endswith(f"_{lang}") and product[: -len(lang) - 1] in LANGUAGE_PRODUCTS:
            return product[: -len(lang) - 1]
    return product


def test_every_shown_product_is_archived_and_every_archived_one_shown(derived):
    manifest = derived[2]
    archived = {base_name(name) for name in manifest["products"]}
    assert shown_products() <= archived, "a notebook shows a product that is not in data/processed"
    assert archived - shown_products() == NOT_SHOWN


def test_language_products_exist_in_every_language(derived):
    _, products, _ = derived
    for name in LANGUAGE_PRODUCTS:
        assert {f"{name}_{lang}" for lang in LANGUAGES} <= set(products)
    assert products["theme_ranking_nl"].columns.tolist() != products["theme_ranking_en"].columns.tolist()


def test_notebooks_validate_code_and_fit_nothing():
    for notebook in packaged_notebooks():
        code = notebook_code(notebook)
        assert "read_processed(study_dir, processed_dir)" in code, notebook.name
        for heavy in ("load_study", "machine_codes", "derive(", "import derive", "HybridCoder", "DictionaryCoder(", "study_codes",
                      "import coding", "coding import machine"):
            assert heavy not in code, f"{notebook.name} computes {heavy}"


def test_tables_read_back_as_derived(derived):
    study, products, manifest = derived
    data = read_processed(study, echo=lambda line: pytest.fail(f"derived again: {line}"))
    for name, product in products.items():
        kind = manifest["products"][name]["kind"]
        if kind == "table":
            expected = product if product.index.names[0] is not None else product.reset_index(drop=True)
            pd.testing.assert_frame_equal(data.table(name), expected, check_dtype=True, check_column_type=False,
                                          check_index_type=False, check_names=False, obj=name)
        elif kind == "graph":
            graph = data.graph(name)
            assert sorted(graph.nodes) == sorted(map(str, product.nodes)), name
            assert graph.number_of_edges() == product.number_of_edges(), name
        elif kind == "text":
            assert data.text(base_name(name), name[-2:]) == product.rstrip("\n") + "\n"
    assert data.title == products["study"]["title"]
    assert data.names("en")["mandate"] == "Mandate"


def test_manifest_hashes_every_product_file(derived):
    study, _, manifest = derived
    written = {p.name for p in (study / PROCESSED).iterdir()} - {MANIFEST}
    hashed = {name for entry in manifest["products"].values() for name in entry["files"]}
    assert written == hashed
    assert set(manifest["inputs"]) >= {"study.yml", "data/raw/quotes.csv"}


def test_two_derivations_are_byte_identical(derived, tmp_path):
    _, products, manifest = derived
    again = write_products(products, tmp_path / "a", inputs={"inputs": {}})
    assert {k: v["files"] for k, v in again["products"].items()} == {k: v["files"] for k, v in manifest["products"].items()}


def test_a_changed_input_makes_data_processed_stale_and_the_reader_derives(derived, tmp_path):
    study = shutil.copytree(derived[0], tmp_path / "mini")
    assert is_fresh(study)
    quotes = study / "data/raw/quotes.csv"
    quotes.write_text(quotes.read_text(encoding="utf-8").replace("Afspraak is afspraak", "Afspraak blijft afspraak"),
                      encoding="utf-8")
    assert not is_fresh(study)
    lines = []
    data = read_processed(study, echo=lines.append)
    assert lines[0] == "data/processed is out of date (inputs or package changed): deriving it again from data/raw ..."
    assert is_fresh(study)
    assert "Afspraak blijft afspraak" in (study / PROCESSED / "codings_machine.csv").read_text(encoding="utf-8") \
        or "Afspraak blijft afspraak" in data.table("machine_evidence")["text"].str.cat()


def test_a_tampered_product_makes_data_processed_stale(derived, tmp_path):
    study = shutil.copytree(derived[0], tmp_path / "mini")
    (study / PROCESSED / "theme_by_party.csv").write_text("party\n", encoding="utf-8")
    assert not is_fresh(study)


def test_missing_data_processed_is_derived_and_said(mini_study):
    lines = []
    data = read_processed(mini_study, echo=lines.append)
    assert lines[0] == "data/processed is missing: deriving it again from data/raw ..."
    assert isinstance(data, Processed) and isinstance(data.graph("process_projection"), nx.Graph)


def test_an_unknown_product_is_a_clear_error(derived):
    data = read_processed(derived[0])
    with pytest.raises(Exception, match=r"no table 'nonexistent' — derive the study again"):
        data.table("nonexistent")


def test_derive_command(mini_study, capsys):
    assert main(["derive", str(mini_study)]) == 0
    out = capsys.readouterr()
    assert re.match(r"\d+ products written to .*data/processed", out.out)
    assert is_fresh(mini_study)
