"""`coopresearch code` and `coopresearch train` as a person runs them."""

import hashlib
import io
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import joblib
import pandas as pd
import pytest

from coopresearch.cli import main
from coopresearch.coding import CODE_COLUMNS

ROOT = Path(__file__).parents[2]
MINI = ROOT / "tests" / "data" / "mini"
COMMAND = str(Path(sys.executable).with_name("coopresearch"))


@pytest.fixture
def study(tmp_path):
    root = tmp_path / "study"
    shutil.copytree(MINI, root)
    return root


def raw_hashes(root: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((root / "data" / "raw").iterdir())}


def test_code_a_study_writes_processed_never_raw(study, capsys):
    before = raw_hashes(study)
    assert main(["code", str(study)]) == 0
    table = pd.read_csv(study / "data" / "processed" / "codings_machine.csv", dtype=str)
    assert table.columns.tolist() == CODE_COLUMNS and set(table["coder"]) == {"hybrid"}
    assert raw_hashes(study) == before
    assert "6 quotes coded (6 nl by the hybrid coder)" in capsys.readouterr().err


def test_code_any_csv_to_stdout_guessing_the_language(tmp_path, capsys):
    path = tmp_path / "quotes.csv"
    path.write_text('quote_id,text,extra\nE1,"Nobody told us, we found out afterwards.",x\nE2,,\nE3,Lovely weather.,\n',
                    encoding="utf-8")
    assert main(["code", str(tmp_path), "--input", str(path), "--coder", "dictionary"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == ",".join(CODE_COLUMNS)
    # four matches: the score is the probability of the theme with three or more matches (codes are rounded to 4 places)
    from coopresearch.codebook import default_codebook
    from coopresearch.coding.dictionary import match_probabilities

    score = round(match_probabilities(default_codebook(), "en")[("transparency", 3)], 4)
    assert out.splitlines()[1].startswith(f"E1,transparency,dictionary,{score},Nobody told (rule 'nobody told' of Transparency)")
    # quotes without a theme are listed with an empty theme: coded, not forgotten
    assert out.splitlines()[2:] == ["E2,,dictionary,,,", "E3,,dictionary,,,"]


def test_code_codes_each_quote_in_its_own_language_inside_a_dutch_study(study, tmp_path, capsys):
    path = tmp_path / "english.csv"
    path.write_text("quote_id,text\nE1,\"Nobody told us, we found out afterwards.\"\n"
                    "E2,\"They promised the repairs and never delivered.\"\nN1,Wie beslist hier eigenlijk?\n", encoding="utf-8")
    assert main(["code", str(study), "--input", str(path)]) == 0
    captured = capsys.readouterr()
    table = pd.read_csv(io.StringIO(captured.out))
    assert table[["quote_id", "theme"]].values.tolist() == [["E1", "transparency"], ["E2", "reliability"], ["N1", "mandate"]]
    assert main(["code", str(study), "--input", str(path), "--out", str(tmp_path / "codes.csv")]) == 0
    assert "3 quotes coded (2 en by the hybrid coder, 1 nl by the hybrid coder)" in capsys.readouterr().err
    assert main(["code", str(study), "--input", str(path), "--out", str(tmp_path / "codes.csv"), "--lang", "nl"]) == 0
    assert "3 quotes coded (3 nl by the hybrid coder)" in capsys.readouterr().err  # --lang forces one language


def test_a_quotes_language_column_decides_over_detection():
    from coopresearch.coding import quote_languages

    quotes = pd.DataFrame({"text": ["Nobody told us.", "Nobody told us."], "language": ["nl", ""]})
    assert quote_languages(quotes, "nl").tolist() == ["nl", "en"]


def test_code_uses_the_hybrid_coder_by_default_with_the_default_codebook(tmp_path, capsys):
    path = tmp_path / "quotes.csv"
    path.write_text("quote_id,text\nE1,\"Nobody told us, we found out afterwards.\"\nE2,Lovely weather.\n", encoding="utf-8")
    assert main(["code", str(tmp_path), "--input", str(path)]) == 0
    table = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert table[["quote_id", "theme", "coder"]].fillna("").values.tolist() == [["E1", "transparency", "hybrid"],
                                                                                ["E2", "", "hybrid"]]
    assert 0.5 < table.loc[0, "score"] <= 1 and "Nobody told (rule 'nobody told' of Transparency)" in table.loc[0, "evidence"]


def test_hybrid_coder_with_another_codebook_needs_a_trained_model(tmp_path, study, capsys):
    assert main(["code", str(study), "--codebook", "scan_fields", "--coder", "hybrid"]) == 1
    assert "train a model on your study's human codes" in capsys.readouterr().err
    assert main(["code", str(study), "--coder", "supervised"]) == 1
    assert "--coder supervised needs a trained model" in capsys.readouterr().err


def test_code_with_another_codebook_and_out_file(tmp_path, study):
    out = tmp_path / "results" / "scan_codes.csv"
    assert main(["code", str(study), "--codebook", "scan_fields", "--out", str(out)]) == 0
    assert set(pd.read_csv(out)["theme"]) <= {"vertrouwen", "relatie", "communicatie", "informatie_uitwisseling",
                                              "afstemming", "doelen", "tegenspraak"}


@pytest.mark.parametrize(("content", "message"), [
    (b"id,tekst\n1,hallo\n", "quotes.csv:1: text: required column is missing"),
    (b"quote_id,text\nA,Caf\xe9\n", "quotes.csv:2: -: text is not UTF-8 (byte 0xe9 at character 6)"),
    (b"quote_id,text\nA,x\nA,y\n", "quotes.csv:3: quote_id: duplicate row"),
])
def test_bad_input_csv_is_reported_by_file_line_and_column(tmp_path, capsys, content, message):
    path = tmp_path / "quotes.csv"
    path.write_bytes(content)
    assert main(["code", "--input", str(path)]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_code_refuses_to_write_data_raw_or_non_csv(study, capsys):
    assert main(["code", str(study), "--out", str(study / "data" / "raw" / "machine.csv")]) == 1
    assert "data/raw holds the study's inputs and is never written" in capsys.readouterr().err
    assert main(["code", str(study), "--out", str(study / "machine.xlsx")]) == 1
    assert "must be a .csv file" in capsys.readouterr().err


def test_train_then_code_with_the_model(study, capsys):
    assert main(["train", str(study), "--folds", "2"]) == 0
    captured = capsys.readouterr()
    assert "2-fold cross-validated agreement" in captured.out
    assert "Trained the packaged model on the study's 6 coded quotes" in captured.err
    model = study / "data" / "processed" / "supervised_model.npz"
    assert model.is_file()
    out = study / "data" / "processed" / "both.csv"
    assert main(["code", str(study), "--model", str(model), "--out", str(out)]) == 0
    assert set(pd.read_csv(out)["coder"]) == {"hybrid"}
    assert main(["code", str(study), "--model", str(model), "--coder", "supervised", "--out", str(out)]) == 0
    assert set(pd.read_csv(out)["coder"]) == {"supervised"}


def test_model_trained_on_another_codebook_is_refused(study, capsys):
    assert main(["train", str(study), "--folds", "0"]) == 0
    model = study / "data" / "processed" / "supervised_model.npz"
    assert main(["code", str(study), "--codebook", "scan_fields", "--model", str(model)]) == 1
    assert "the model was trained with another codebook" in capsys.readouterr().err


class Exploit:
    """Unpickling this runs code: it creates the file ``marker``."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return exec, (f"open({self.marker!r}, 'w').close()",)


@pytest.mark.parametrize("name", ["model.joblib", "model.npz"])
def test_a_crafted_model_file_is_refused_in_one_line_and_never_run(tmp_path, name):
    marker = tmp_path / "marker"
    model = tmp_path / name
    if name.endswith(".joblib"):  # the format 'coopresearch train' wrote before: a joblib pickle
        joblib.dump({"format": 1, "codebook_sha256": "x", "coder": Exploit(marker)}, model)
    else:
        model.write_bytes(pickle.dumps(Exploit(marker)))
    (tmp_path / "q.csv").write_text("quote_id,text\nQ1,Wie beslist hier?\n", encoding="utf-8")
    done = subprocess.run([COMMAND, "code", "--input", str(tmp_path / "q.csv"), "--model", str(model)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.splitlines() == [f"error: {model}: not a coopresearch model (not an .npz archive; pickle and joblib "
                                        "files are refused, they can run code) — train a new one with 'coopresearch train'"]
    assert not marker.exists()


@pytest.mark.slow
def test_example_study_codes_are_byte_identical_on_a_second_run(tmp_path):
    root = tmp_path / "example"
    shutil.copytree(ROOT / "data" / "raw", root / "data" / "raw")
    shutil.copy(ROOT / "study.yml", root / "study.yml")  # with 'codebook: default'
    assert not (ROOT / "codebook.yml").exists()
    assert main(["code", str(root)]) == 0
    first = (root / "data" / "processed" / "codings_machine.csv").read_bytes()
    assert main(["code", str(root)]) == 0
    assert (root / "data" / "processed" / "codings_machine.csv").read_bytes() == first
    table = pd.read_csv(root / "data" / "processed" / "codings_machine.csv")
    assert table["quote_id"].nunique() >= 100
    # the same machine codes as the reports derive: the model taught by the study's human codes
    from coopresearch.derive import derive
    from coopresearch.study import load_study

    derived = derive(load_study(root))["codings_machine"]
    pd.testing.assert_frame_equal(table, derived.reset_index(drop=True), check_dtype=False)
