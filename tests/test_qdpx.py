"""REFI-QDA import and export, checked on real exports of NVivo, MAXQDA, ATLAS.ti and QualCoder.

The third-party files live outside the repository (``<clone>/../shared/refi-qda``); they are
read from there, never copied here.
"""

from __future__ import annotations

import io
import json
import os
import tracemalloc
import uuid
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from lxml import etree

from coopresearch.codebook import default_codebook
from coopresearch.errors import CoopResearchError, DataError
from coopresearch.qdpx import (
    GUID_NAMESPACE,
    codebook_xml,
    export_qdpx,
    import_qdpx,
    parse_project,
    project_xml,
    qdpx_archive,
    read_qdpx,
    safe_id,
    study_from_project,
    text_spans,
)
from coopresearch.study import init_study, load_study, write_raw_tables

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "data" / "mini"


def shared_refi_qda() -> Path | None:
    """The shared REFI-QDA test files: beside the clone, or $COOPRESEARCH_SHARED, or /work/shared."""
    env = os.environ.get("COOPRESEARCH_SHARED")
    candidates = [ROOT / ".." / "shared" / "refi-qda"]
    if env:
        candidates += [Path(env) / "refi-qda", Path(env)]
    candidates.append(Path("/work/shared/refi-qda"))
    return next((c.resolve() for c in candidates if (c / "samples" / "nvivo12_win_oltas.qdpx").is_file()), None)


SHARED = shared_refi_qda()
needs_shared = pytest.mark.skipif(SHARED is None, reason="REFI-QDA samples not found: put shared/refi-qda beside the "
                                  "clone or set COOPRESEARCH_SHARED")
NVIVO = SHARED / "samples" / "nvivo12_win_oltas.qdpx" if SHARED else None
MAXQDA = SHARED / "samples" / "maxqda24_icls_themes.qdpx" if SHARED else None
ATLAS_QDE = SHARED / "samples" / "atlasti8_mac_standard_project.qde" if SHARED else None
ATLAS_QDPX = SHARED / "samples" / "atlasti8_standard_project_repackaged_no_sources.qdpx" if SHARED else None
QUALCODER = SHARED / "qualcoder" / "Samenwerking_gemeente_corporaties.qdpx" if SHARED else None


def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SHARED / "schema" / name)))


def guid(n: int) -> str:
    return f"00000000-0000-0000-0000-{n:012d}"


def project(body: str, *, name: str = "p", origin: str = "test") -> bytes:
    return f'<Project xmlns="urn:QDA-XML:project:1.0" name="{name}" origin="{origin}">{body}</Project>'.encode()


CODES = (f'<CodeBook><Codes><Code guid="{guid(900)}" name="Trust" isCodable="true"/>'
         f'<Code guid="{guid(901)}" name="Mandate" isCodable="true"/></Codes></CodeBook>')


def selection(n: int, start: int, end: int, *codes: int, user: int | None = None, name: str = "") -> str:
    creator = f' creatingUser="{guid(user)}"' if user else ""
    codings = "".join(f'<Coding guid="{guid(n * 10 + i)}"{creator}><CodeRef targetGUID="{guid(code)}"/></Coding>'
                      for i, code in enumerate(codes))
    return (f'<PlainTextSelection guid="{guid(n)}" name="{name}" startPosition="{start}" endPosition="{end}"{creator}>'
            f"{codings}</PlainTextSelection>")


# --- names --------------------------------------------------------------------------------

def test_safe_id_folds_accents_and_punctuation():
    assert safe_id("Mabêl 2ième.txt") == "Mabel_2ieme_txt"
    assert safe_id('"rushed"', lower=True) == "rushed"
    assert safe_id("€€€") == ""


# --- parsing the real exports ---------------------------------------------------------------

@needs_shared
def test_parse_qualcoder_keeps_hierarchy_and_one_row_per_coding():
    parsed = read_qdpx(QUALCODER)
    assert parsed.origin.startswith("QualCoder")
    assert parsed.users["name"].tolist() == ["onderzoeker"]
    assert parsed.codes["label"].tolist() == ["Samenwerking", "Samenwerking › transparantie",
                                              "Samenwerking › mandaat", "Samenwerking › betrouwbaarheid"]
    assert parsed.codes["codable"].tolist() == [False, True, True, True]
    assert len(parsed.sources) == 2 and len(parsed.selections) == 6
    # four .txt files in the archive, two referenced: only those two are read, the others are not even unpacked
    assert sorted(parsed.files) == ["839ef087-0aec-4fd4-b855-01ba1c12dc38.txt", "924c11c5-73d7-4b1c-ac60-0dffb88e4ec2.txt"]
    assert len([name for name in parsed.archive_files if name.endswith(".txt")]) == 4


@needs_shared
def test_parse_atlasti_capitalised_project_and_empty_sources_folder():
    parsed = read_qdpx(ATLAS_QDPX)  # entries: Project.qde and an empty Sources/
    assert parsed.files == {}
    assert len(parsed.codes) == 14 and parsed.codes["parent"].isna().all()
    assert "Coke › diet Coke" in parsed.codes["label"].tolist()
    assert parsed.skipped == {"AudioSource": 1, "PDFSource": 2, "PictureSource": 1, "VideoSource": 2}
    # 6 selections in text sources (2 more are in a PDF's text layer): one uncoded, one with three codings
    assert parsed.selections["selection"].nunique() == 6 and len(parsed.selections) == 8
    assert parsed.selections["code"].isna().sum() == 1
    # GUIDs are compared lower-case whatever the tool wrote
    assert set(parsed.selections["code"].dropna()) <= set(parsed.codes["guid"])


def test_parse_rejects_what_is_not_a_project():
    with pytest.raises(CoopResearchError, match="not well-formed XML"):
        parse_project(b"<Project")
    with pytest.raises(CoopResearchError, match="not a REFI-QDA <Project>"):
        parse_project(b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"/>')


def test_read_qdpx_needs_one_project_file(tmp_path):
    path = tmp_path / "x.qdpx"
    path.write_bytes(qdpx_archive(b"<Project/>", {}).replace(b"project.qde", b"project.txt"))
    with pytest.raises(CoopResearchError, match=r"expected one project\.qde"):
        read_qdpx(path)
    with pytest.raises(CoopResearchError, match="no such file"):
        read_qdpx(tmp_path / "missing.qdpx")


def test_attributes_come_from_variables_cases_and_sets():
    xml = project(
        f'<Variables><Variable guid="{guid(50)}" name="Partij" typeOfVariable="Text"/>'
        f'<Variable guid="{guid(51)}" name="role" typeOfVariable="Text"/></Variables>'
        f'<Cases><Case guid="{guid(60)}" name="Woonstichting"><VariableValue><VariableRef targetGUID="{guid(50)}"/>'
        f'<TextValue>Corporatie</TextValue></VariableValue><SourceRef targetGUID="{guid(2)}"/></Case></Cases>'
        f'<Sources><TextSource guid="{guid(1)}" name="a"><VariableValue><VariableRef targetGUID="{guid(50)}"/>'
        f'<TextValue>Gemeente</TextValue></VariableValue><VariableValue><VariableRef targetGUID="{guid(51)}"/>'
        f'<TextValue>wethouder</TextValue></VariableValue></TextSource><TextSource guid="{guid(2)}" name="b"/></Sources>'
        f'<Sets><Set guid="{guid(70)}" name="Ronde 1"><MemberSource targetGUID="{guid(2)}"/></Set></Sets>')
    attributes = parse_project(xml).attributes
    assert attributes.to_dict("records") == [
        {"source": guid(1), "attribute": "Partij", "value": "Gemeente"},
        {"source": guid(1), "attribute": "role", "value": "wethouder"},
        {"source": guid(2), "attribute": "Partij", "value": "Corporatie"},
        {"source": guid(2), "attribute": "case", "value": "Woonstichting"},
        {"source": guid(2), "attribute": "set", "value": "Ronde 1"},
    ]


# --- positions ----------------------------------------------------------------------------

TEXT = "Één regel 😀\r\nTweede regel over financiële ruimte.\r\nDerde"


def _offsets(text: str, start: int, end: int, unit: str, crlf: bool) -> tuple[int, int]:
    """Where a tool counting ``unit`` (CRLF as two when ``crlf``) puts a code-point span."""
    def measure(part: str) -> int:
        part = part if crlf else part.replace("\r\n", "\n")
        return {"character": len(part), "utf16": len(part.encode("utf-16-le")) // 2, "utf8": len(part.encode())}[unit]

    return measure(text[:start]), measure(text[:end])


@pytest.mark.parametrize(("unit", "crlf", "expected"), [
    ("character", True, "code points"), ("utf16", True, "UTF-16 code units"), ("utf8", True, "UTF-8 bytes"),
    ("character", False, "code points, CRLF as one"), ("utf8", False, "UTF-8 bytes, CRLF as one"),
])
def test_text_spans_detects_how_positions_were_counted(unit, crlf, expected):
    wanted = ["financiële ruimte", "Derde", "Tweede regel"]
    rows = []
    for text in wanted:
        start = TEXT.index(text)
        a, b = _offsets(TEXT, start, start + len(text), unit, crlf)
        rows.append({"selection": text, "source": "s", "start": a, "end": b, "name": text})
    spans, how = text_spans({"s": TEXT}, pd.DataFrame(rows))
    assert spans["text"].tolist() == wanted
    assert how == f"positions read as {expected} (3 of 3 selection texts agree)"


def test_text_spans_accepts_shortened_names_and_rejects_positions_outside_the_text():
    sel = pd.DataFrame({"selection": ["x"], "source": ["s"], "start": [0], "end": [14], "name": ["Één regel…"]})
    assert text_spans({"s": TEXT}, sel)[1].endswith("(1 of 1 selection texts agree)")
    with pytest.raises(CoopResearchError, match="outside their source text"):
        text_spans({"s": "kort"}, sel.assign(end=[99], name=[""]))


@needs_shared
def test_nvivo_positions_are_utf16_units_even_without_knowing_the_tool():
    parsed = read_qdpx(NVIVO)
    from coopresearch.qdpx import source_texts

    texts = source_texts(parsed, set(parsed.selections["source"]))
    assert next(iter(texts.values())).count("\r\n") == 15272  # BOM gone, CRLF kept
    for origin in (parsed.origin, ""):
        spans, how = text_spans(texts, parsed.selections, origin=origin)
        assert how.startswith("positions read as UTF-16 code units (no selection texts to compare")
    distinct = spans.drop_duplicates(["start", "end"])
    # README: read as UTF-16 units, 15 of the 20 ranges start on a capital letter (5 as code points)
    assert len(distinct) == 20 and sum(t[:1].isupper() for t in distinct["text"]) == 15


# --- project → study ----------------------------------------------------------------------

@needs_shared
def test_qualcoder_import_matches_its_expected_content():
    expected = json.loads((SHARED / "qualcoder" / "expected_content.json").read_text(encoding="utf-8"))
    imported = study_from_project(read_qdpx(QUALCODER))
    quotes, codings = imported.tables["quotes"], imported.tables["codings"]
    assert imported.tables["interviews"]["interview_id"].tolist() == ["interview_wethouder", "interview_directeur"]
    selections = [s for source in expected["sources"] for s in source["selections"]]
    assert quotes["text"].tolist() == list(dict.fromkeys(s["text"] for s in selections))  # BOM not counted
    assert len(quotes) == 5 and len(codings) == 6
    merged = quotes.merge(codings)
    double = merged[merged["text"].str.startswith("niet altijd duidelijk")]
    assert sorted(double["theme"]) == ["mandaat", "transparantie"]
    assert set(codings["coder"]) == {"coder_1"}
    assert "positions read as code points (5 of 5 selection texts agree)" in imported.notes


@needs_shared
def test_qualcoder_codebook_keeps_hierarchy_in_labels_and_skips_categories():
    imported = study_from_project(read_qdpx(QUALCODER))
    book = yaml_load(imported.codebook)
    assert [t["id"] for t in book["themes"]] == ["transparantie", "mandaat", "betrouwbaarheid"]
    assert book["themes"][0]["label"] == {"nl": "Samenwerking › transparantie", "en": "Samenwerking › transparantie"}
    assert book["themes"][0]["definition"]["en"] == "Openheid over cijfers, plannen en financiële ruimte"


def yaml_load(text: str):
    import yaml

    return yaml.safe_load(text)


@needs_shared
def test_nvivo_import_merges_one_selection_per_code():
    imported = study_from_project(read_qdpx(NVIVO), keep_coder_names=True)
    quotes, codings = imported.tables["quotes"], imported.tables["codings"]
    assert len(imported.tables["interviews"]) == 1
    assert len(quotes) == 20 and quotes["quote_id"].tolist()[:2] == ["Q01", "Q02"]
    assert len(codings) == 97 and codings["theme"].nunique() == 30
    assert len(yaml_load(imported.codebook)["themes"]) == 60
    assert set(codings["coder"]) == {"floriansipos"}  # the user who coded, not who selected
    assert not quotes["text"].str.contains("\r").any()


@needs_shared
def test_maxqda_without_codings_fails_clearly_or_imports_lines_by_set():
    parsed = read_qdpx(MAXQDA)
    with pytest.raises(CoopResearchError, match=r"10 text sources and 307 codes but no coded text selections.*--paragraphs"):
        study_from_project(parsed)
    imported = study_from_project(parsed, paragraphs=True, mapping={"party": "set"})
    interviews = imported.tables["interviews"]
    assert len(interviews) == 10 and interviews["party"].value_counts().to_dict() == {"icls_2024": 5, "icls_2025": 5}
    assert imported.parties["icls_2025"] == {"nl": "ICLS 2025", "en": "ICLS 2025"}
    assert len(yaml_load(imported.codebook)["themes"]) == 307
    quotes = imported.tables["quotes"]
    assert quotes["text"].str.strip().ne("").all() and set(quotes["interview_id"]) == set(interviews["interview_id"])
    assert imported.tables["codings"].empty


@needs_shared
@pytest.mark.parametrize("sample", ["qdpx", "qde"])
def test_atlasti_without_source_files_says_which_texts_are_missing(sample):
    path = ATLAS_QDPX if sample == "qdpx" else ATLAS_QDE
    with pytest.raises(DataError) as caught:
        study_from_project(read_qdpx(path))
    columns = [p.column for p in caught.value.problems]
    assert columns == ["text source '1994 Diet Coke-Diet Coke Break.docx'", "text source 'Mabel.txt'",
                       "text source 'Mabêl 2ième.txt'", "text source 'Simon.docx'"]
    assert "internal://B2F54555-0D2D-43B2-B40C-2A1C048F5F1C.txt is missing" in str(caught.value)
    assert ("bare .qde" in str(caught.value)) == (sample == "qde")


@needs_shared
def test_missing_source_file_in_an_archive_is_named(tmp_path):
    with zipfile.ZipFile(QUALCODER) as archive:
        entries = {i.filename: archive.read(i) for i in archive.infolist() if not i.is_dir()}
    del entries["sources/839ef087-0aec-4fd4-b855-01ba1c12dc38.txt"]  # interview_wethouder's plain text
    broken = tmp_path / "broken.qdpx"
    broken.write_bytes(qdpx_archive(entries.pop("project.qde"), entries))
    with pytest.raises(DataError, match=r"interview_wethouder\.txt'.*839ef087.*is missing \(the archive's 3 other files"):
        study_from_project(read_qdpx(broken))


def test_mapping_fills_interview_columns_and_parties():
    xml = project(
        f'{CODES}<Variables><Variable guid="{guid(50)}" name="Partij" typeOfVariable="Text"/>'
        f'<Variable guid="{guid(51)}" name="Role" typeOfVariable="Text"/></Variables><Sources>'
        + "".join(f'<TextSource guid="{guid(n)}" name="Interview {n}.docx"><PlainTextContent>Wij vertrouwen elkaar.'
                  f"</PlainTextContent>{selection(n + 10, 4, 14, 900)}<VariableValue><VariableRef targetGUID="
                  f'"{guid(50)}"/><TextValue>{party}</TextValue></VariableValue><VariableValue><VariableRef '
                  f'targetGUID="{guid(51)}"/><TextValue>wethouder</TextValue></VariableValue></TextSource>'
                  for n, party in ((1, "Gemeente"), (2, "Woon Stichting")))
        + "</Sources>")
    parsed = parse_project(xml)
    imported = study_from_project(parsed, mapping={"party": "Partij"})
    interviews = imported.tables["interviews"]
    assert interviews[["interview_id", "organisation", "party", "pseudonym", "role"]].values.tolist() == [
        ["Interview_1", "onbekend", "gemeente", "Respondent 1", "wethouder"],  # role: same-named attribute
        ["Interview_2", "onbekend", "woon_stichting", "Respondent 2", "wethouder"]]
    assert imported.parties == {"gemeente": {"nl": "Gemeente", "en": "Municipality"},
                                "woon_stichting": {"nl": "Woon Stichting", "en": "Woon Stichting"}}
    assert study_from_project(parsed).parties == {"onbekend": {"nl": "Onbekend", "en": "Unknown"}}
    with pytest.raises(CoopResearchError, match="no attribute 'Partei' — use one of: Partij, Role"):
        study_from_project(parsed, mapping={"party": "Partei"})
    with pytest.raises(CoopResearchError, match="'functie' is not an interview column"):
        study_from_project(parsed, mapping={"functie": "Role"})


def test_coders_uncoded_selections_and_duplicate_spans():
    users = f'<Users><User guid="{guid(7)}" name="Anna"/><User guid="{guid(8)}" name="Bram"/></Users>'
    text = "Wij vertrouwen elkaar niet altijd."
    xml = project(
        f'{users}{CODES}<Sources><TextSource guid="{guid(1)}" name="a"><PlainTextContent>{text}</PlainTextContent>'
        + selection(2, 4, 14, 900, user=8) + selection(3, 4, 14, 901, user=8) + selection(4, 4, 14, 900, user=8)
        + selection(5, 15, 34, user=7) + selection(6, 15, 34, 901, user=8) + selection(7, 15, 34, user=8)
        + "</TextSource></Sources>")
    imported = study_from_project(parse_project(xml))
    assert imported.tables["quotes"]["text"].tolist() == ["vertrouwen", "elkaar niet altijd."]
    assert imported.tables["codings"].values.tolist() == [
        ["Q1", "coder_2", "mandate"], ["Q1", "coder_2", "trust"],
        ["Q2", "coder_1", ""],  # Anna selected it without a code: reviewed, left uncoded
        ["Q2", "coder_2", "mandate"]]  # Bram's uncoded copy of the span adds no empty row beside his code


def test_codes_map_onto_an_existing_codebook():
    xml = project(f'<CodeBook><Codes><Code guid="{guid(900)}" name="Transparantie" isCodable="true"/>'
                  f'<Code guid="{guid(901)}" name="mandate" isCodable="true"/><Code guid="{guid(902)}" name="Nieuw" '
                  f'isCodable="true"/></Codes></CodeBook><Sources><TextSource guid="{guid(1)}" name="a">'
                  f'<PlainTextContent>Open en eerlijk.</PlainTextContent>{selection(2, 0, 4, 900, 901)}'
                  "</TextSource></Sources>")
    imported = study_from_project(parse_project(xml), codebook=default_codebook())
    themes = yaml_load(imported.codebook)["themes"]
    assert [t["id"] for t in themes] == ["transparency", "mandate", "nieuw"]
    assert themes[0]["terms"] == default_codebook().themes[0].terms
    assert sorted(imported.tables["codings"]["theme"]) == ["mandate", "transparency"]


def test_projects_without_text_sources_or_codes_are_refused():
    with pytest.raises(CoopResearchError, match="no text sources"):
        study_from_project(parse_project(project(f'<Sources><PictureSource guid="{guid(1)}" path="x.png"/></Sources>')))
    no_codes = project(f'<Sources><TextSource guid="{guid(1)}" name="a"><PlainTextContent>Tekst.</PlainTextContent>'
                       f"</TextSource></Sources>")
    with pytest.raises(CoopResearchError, match="codebook has no codes"):
        study_from_project(parse_project(no_codes), paragraphs=True)
    dangling = project(f'{CODES}<Sources><TextSource guid="{guid(1)}" name="a"><PlainTextContent>Tekst.'
                       f"</PlainTextContent>{selection(2, 0, 5, 999)}</TextSource></Sources>")
    with pytest.raises(CoopResearchError, match=r"codings refer to code .*999, which is not in the codebook"):
        study_from_project(parse_project(dangling))


# --- writing a new study --------------------------------------------------------------------

@needs_shared
def test_import_qdpx_creates_a_valid_study_and_never_overwrites(tmp_path):
    study, _ = import_qdpx(QUALCODER, tmp_path / "qc")
    assert len(study.interviews) == 2 and len(study.quotes) == 5 and len(study.codings) == 6
    assert study.config["parties"] == {"onbekend": {"nl": "Onbekend", "en": "Unknown"}}
    assert study.processes.empty and study.scan.empty
    with pytest.raises(CoopResearchError, match="not empty"):
        import_qdpx(QUALCODER, tmp_path / "qc")


def test_write_raw_tables_replaces_templates_but_not_data(tmp_path):
    root = init_study(tmp_path / "s", title='Een "titel": met tekens', parties={"buurt": {"nl": "Buurt: oost", "en": "East"}},
                      codebook_text=default_codebook().text)
    quotes = pd.DataFrame({"quote_id": ["Q1"], "interview_id": ["I1"], "text": ["Tekst."]})
    interviews = pd.DataFrame({"interview_id": ["I1"], "organisation": ["X"], "party": ["buurt"]})
    write_raw_tables(root, {"quotes": quotes, "interviews": interviews})
    study = load_study(root)
    assert study.title == 'Een "titel": met tekens' and study.party_labels("nl") == {"buurt": "Buurt: oost"}
    with pytest.raises(CoopResearchError, match="already holds data"):
        write_raw_tables(root, {"quotes": quotes})


# --- export -----------------------------------------------------------------------------------

def test_project_xml_positions_select_each_quote():
    study = load_study(MINI)
    xml, files = project_xml(study)
    root = etree.fromstring(xml)
    ns = {"q": "urn:QDA-XML:project:1.0"}
    for source in root.iterfind("q:Sources/q:TextSource", ns):
        text = files[source.get("plainTextPath").replace("internal://", "sources/")].decode("utf-8")
        for sel in source.iterfind("q:PlainTextSelection", ns):
            assert text[int(sel.get("startPosition")):int(sel.get("endPosition"))] == sel.get("name")
    assert root.find("q:Users/q:User", ns).get("guid") == str(uuid.uuid5(GUID_NAMESPACE, "coder\x1fa"))
    assert len(root.findall(".//q:Coding", ns)) == len(study.codings.dropna(subset=["theme"]))


@needs_shared
def test_export_validates_against_the_refi_schemas_and_is_byte_identical(tmp_path):
    first = export_qdpx(MINI, tmp_path / "a.qdpx", codebook_out=tmp_path / "a.qdc")
    export_qdpx(MINI, tmp_path / "b.qdpx")
    assert (tmp_path / "a.qdpx").read_bytes() == (tmp_path / "b.qdpx").read_bytes()
    assert first == [tmp_path / "a.qdpx", tmp_path / "a.qdc"]
    with zipfile.ZipFile(tmp_path / "a.qdpx") as archive:
        assert archive.namelist()[0] == "project.qde" and len(archive.namelist()) == 5
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        project_root = etree.fromstring(archive.read("project.qde"))
    project_schema = schema("Project-mrt2019.xsd")
    assert project_schema.validate(project_root), project_schema.error_log
    codebook_schema = schema("Codebook.xsd")
    assert codebook_schema.validate(etree.parse(str(tmp_path / "a.qdc"))), codebook_schema.error_log


@needs_shared
def test_codebook_xml_validates_in_english_too():
    root = etree.fromstring(codebook_xml(default_codebook(), lang="en"))
    assert schema("Codebook.xsd").validate(root)
    assert [c.get("name") for c in root.iter("{urn:QDA-XML:codebook:1.0}Code")] == [
        "Transparency", "Mandate", "Ownership", "Reliability"]


def test_round_trip_gives_the_same_quotes_and_codes(tmp_path):
    original = load_study(MINI)
    export_qdpx(MINI, tmp_path / "mini.qdpx")
    study, _ = import_qdpx(tmp_path / "mini.qdpx", tmp_path / "back", codebook_file="default",
                           keep_coder_names=True)
    columns = ["interview_id", "organisation", "party", "pseudonym", "role", "department", "date"]
    pd.testing.assert_frame_equal(study.interviews[columns], original.interviews[columns])
    pd.testing.assert_frame_equal(study.quotes[["quote_id", "interview_id", "text"]],
                                  original.quotes[["quote_id", "interview_id", "text"]])
    codes = ["quote_id", "coder", "theme"]
    themed = original.codings.dropna(subset=["theme"])[codes].sort_values(codes).reset_index(drop=True)
    pd.testing.assert_frame_equal(study.codings.dropna(subset=["theme"])[codes].reset_index(drop=True), themed)
    assert study.codebook.theme_ids == original.codebook.theme_ids


@needs_shared
def test_imported_nvivo_study_exports_valid_and_reimports_the_same(tmp_path):
    study, _ = import_qdpx(NVIVO, tmp_path / "nv")
    export_qdpx(study.root, tmp_path / "nv.qdpx")
    with zipfile.ZipFile(tmp_path / "nv.qdpx") as archive:
        assert schema("Project-mrt2019.xsd").validate(etree.parse(io.BytesIO(archive.read("project.qde"))))
    again, imported = import_qdpx(tmp_path / "nv.qdpx", tmp_path / "nv2", codebook_file=study.root / "codebook.yml")
    assert again.quotes["text"].tolist() == study.quotes["text"].tolist()  # emoji and CRLF survive
    assert len(again.codings) == 97 and set(again.codings["theme"]) == set(study.codings["theme"])
    assert "positions read as code points (20 of 20 selection texts agree)" in imported.notes


# --- zip bombs and limits ---------------------------------------------------------------------

MB = 1024 * 1024


def text_project(*paths: str) -> bytes:
    """One coded text source per path, its text in the archive file the path names."""
    return project(CODES + "<Sources>" + "".join(
        f'<TextSource guid="{guid(n)}" name="Interview {n}.txt" plainTextPath="{path}">'
        f"{selection(n + 10, 4, 14, 900)}</TextSource>" for n, path in enumerate(paths, start=1)) + "</Sources>")


def write_qdpx(path: Path, xml: bytes, files: dict[str, bytes], zeros: dict[str, tuple[bytes, int]] | None = None) -> Path:
    """A .qdpx; ``zeros`` entries are a prefix then that many MB of zeros, streamed so the test stays small in memory."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("project.qde", xml)
        for name, data in files.items():
            archive.writestr(name, data)
        for name, (prefix, mb) in (zeros or {}).items():
            with archive.open(name, "w", force_zip64=True) as entry:
                entry.write(prefix)
                for _ in range(mb):
                    entry.write(bytes(MB))
    return path


SOURCE_TEXT = b"Wij vertrouwen elkaar."


@pytest.fixture(scope="module")
def unused_bomb(tmp_path_factory) -> Path:
    # 1.4 MB on disk, 300 MB unpacked, and nothing refers to it
    return write_qdpx(tmp_path_factory.mktemp("bomb") / "unused.qdpx", text_project("internal://a.txt"),
                      {"sources/a.txt": SOURCE_TEXT}, zeros={"sources/unused.bin": (b"", 300)})


def test_an_unused_huge_entry_is_never_unpacked(unused_bomb):
    tracemalloc.start()
    try:
        imported = study_from_project(read_qdpx(unused_bomb))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert imported.tables["quotes"]["text"].tolist() == ["vertrouwen"]
    assert peak < 50 * MB, f"the import held {peak / MB:.0f} MB"


def test_a_referenced_zip_bomb_is_refused_after_a_few_mb(tmp_path):
    # the source text is 100 MB of zeros packed into 100 kB: refused by its compression ratio, one line
    path = write_qdpx(tmp_path / "bomb.qdpx", text_project("internal://bomb.txt"), {},
                      zeros={"sources/bomb.txt": (b"\xff", 100)})
    tracemalloc.start()
    try:
        with pytest.raises(CoopResearchError) as caught:
            read_qdpx(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    message = str(caught.value)
    assert "\n" not in message and type(caught.value) is CoopResearchError
    assert message.startswith("bomb.qdpx: refused to unpack entry sources/bomb.txt:")
    assert "more than 100 times their size" in message and "COOPRESEARCH_QDPX_MAX_RATIO (now 100)" in message
    assert peak < 50 * MB, f"the refusal held {peak / MB:.0f} MB"


def test_a_referenced_entry_over_the_size_limits_is_refused(tmp_path, monkeypatch):
    big = os.urandom(2 * MB)  # incompressible: only the size limits stop it
    path = write_qdpx(tmp_path / "big.qdpx", text_project("internal://a.txt", "internal://b.txt"),
                      {"sources/a.txt": big, "sources/b.txt": big})
    monkeypatch.setenv("COOPRESEARCH_QDPX_MAX_MB", "1")
    with pytest.raises(CoopResearchError, match=r"^big\.qdpx: refused to unpack entry sources/a\.txt: it unpacks to 2 MB, "
                       r"over the limit of 1 MB per entry — .* COOPRESEARCH_QDPX_MAX_MB \(now 1\)$"):
        read_qdpx(path)
    monkeypatch.setenv("COOPRESEARCH_QDPX_MAX_MB", "3")
    monkeypatch.setenv("COOPRESEARCH_QDPX_MAX_TOTAL_MB", "3.5")
    with pytest.raises(CoopResearchError, match=r"entry sources/b\.txt: the project and its source texts unpack to over "
                       r"3\.5 MB, the limit in total — .*COOPRESEARCH_QDPX_MAX_TOTAL_MB \(now 3\.5\)$"):
        read_qdpx(path)
    monkeypatch.setenv("COOPRESEARCH_QDPX_MAX_TOTAL_MB", "5")
    assert sorted(read_qdpx(path).files) == ["a.txt", "b.txt"]  # raised limits let a trusted project in
    monkeypatch.setenv("COOPRESEARCH_QDPX_MAX_MB", "lots")
    with pytest.raises(CoopResearchError, match=r"^COOPRESEARCH_QDPX_MAX_MB='lots' is not a positive number"):
        read_qdpx(path)


def test_an_entry_whose_header_understates_its_size_is_read_no_further(tmp_path, monkeypatch):
    # the header says 1,000 bytes; the entry holds 3 MB
    path = write_qdpx(tmp_path / "liar.qdpx", text_project("internal://a.txt"), {"sources/a.txt": os.urandom(3 * MB)})
    data = bytearray(path.read_bytes())
    central = data.index(b"sources/a.txt", data.index(b"PK\x01\x02")) - 46  # its central directory record
    data[central + 24:central + 28] = (1000).to_bytes(4, "little")  # uncompressed size
    path.write_bytes(bytes(data))
    monkeypatch.setenv("COOPRESEARCH_QDPX_MAX_MB", "1")
    with pytest.raises(CoopResearchError, match=r"^liar\.qdpx: entry sources/a\.txt cannot be unpacked \(Bad CRC-32"):
        read_qdpx(path)


def test_a_source_file_name_twice_in_the_archive_is_ambiguous(tmp_path):
    path = write_qdpx(tmp_path / "twice.qdpx", text_project("internal://a.txt"),
                      {"sources/a.txt": SOURCE_TEXT, "other/A.TXT": b"Iets anders."})
    with pytest.raises(CoopResearchError, match=r"^twice\.qdpx: the archive holds 2 files named a\.txt "
                       r"\(sources/a\.txt, other/A\.TXT\), so the text .* is ambiguous"):
        read_qdpx(path)


def test_clashing_code_names_get_numbered_theme_ids():
    names = ["Trust", "Trust", "Trust_2", "Trust", "Mandate"]
    codes = "".join(f'<Code guid="{guid(900 + n)}" name="{name}"/>' for n, name in enumerate(names))
    xml = project(f'<CodeBook><Codes>{codes}</Codes></CodeBook><Sources><TextSource guid="{guid(1)}" name="a">'
                  f"<PlainTextContent>Wij vertrouwen elkaar.</PlainTextContent>{selection(2, 4, 14, 900)}</TextSource>"
                  "</Sources>")
    themes = yaml_load(study_from_project(parse_project(xml)).codebook)["themes"]
    assert [theme["id"] for theme in themes] == ["trust", "trust_2", "trust_2_2", "trust_3", "mandate"]


# --- ambiguous projects -------------------------------------------------------------------------

def test_a_guid_used_twice_is_one_line_per_kind():
    # today the coding lands on whichever 'Trust'/'Mandate' comes last; the source and selection guids clash too
    twice = project(
        f'<CodeBook><Codes><Code guid="{guid(900)}" name="Trust"/><Code guid="{guid(900)}" name="Mandate"/></Codes>'
        f'</CodeBook><Sources><TextSource guid="{guid(1)}" name="a.txt"><PlainTextContent>Wij vertrouwen elkaar.'
        f"</PlainTextContent>{selection(2, 4, 14, 900)}{selection(2, 0, 3, 900)}</TextSource>"
        f'<TextSource guid="{guid(1)}" name="b.txt"><PlainTextContent>Nee.</PlainTextContent></TextSource></Sources>')
    with pytest.raises(DataError) as caught:
        parse_project(twice)
    assert [str(problem) for problem in caught.value.problems] == [
        f"project.qde:-: Code guid: 1 GUID used by more than one code (first: {guid(900)} by 'Trust', 'Mandate'), so "
        "codings that refer to it may land on the wrong code — merge the duplicate codes or give each its own GUID in "
        "your QDA tool and export again",
        f"project.qde:-: PlainTextSelection guid: 1 GUID used by more than one text selection (first: {guid(2)}), so the "
        "selections cannot be told apart — give each selection its own GUID in your QDA tool and export again",
        f"project.qde:-: source guid: 1 GUID used by more than one source (first: {guid(1)} by 'a.txt', 'b.txt'), so its "
        "selections and attributes may land on the wrong interview — give each source its own GUID in your QDA tool "
        "and export again",
    ]


def test_two_sources_reading_one_file_are_refused(tmp_path):
    # today both interviews get the text of whichever a.txt the archive lists last
    path = write_qdpx(tmp_path / "same.qdpx", text_project("internal://a.txt", "internal://b.txt", "relative://old/A.txt"),
                      {"sources/a.txt": SOURCE_TEXT, "sources/b.txt": SOURCE_TEXT})
    with pytest.raises(DataError) as caught:
        read_qdpx(path)
    assert str(caught.value) == (
        "same.qdpx:-: TextSource plainTextPath: 1 file name used by more than one text source (first: a.txt by "
        "'Interview 1.txt', 'Interview 3.txt'), so one of them would get the other's text — give each source its own "
        "plain-text file in your QDA tool and export again")


def test_cli_refuses_a_duplicate_code_guid_in_one_line_and_writes_nothing(tmp_path, capsys):
    from coopresearch.cli import main

    xml = project(f'<CodeBook><Codes><Code guid="{guid(900)}" name="Trust"/><Code guid="{guid(900)}" name="Mandate"/>'
                  f'</Codes></CodeBook><Sources><TextSource guid="{guid(1)}" name="a.txt" plainTextPath="internal://a.txt">'
                  f"{selection(2, 4, 14, 900)}</TextSource></Sources>")
    path = write_qdpx(tmp_path / "dup.qdpx", xml, {"sources/a.txt": SOURCE_TEXT})
    assert main(["import-qdpx", str(path), "--study", str(tmp_path / "study")]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "Traceback" not in captured.err
    assert captured.err.splitlines()[0].startswith("dup.qdpx:-: Code guid: 1 GUID used by more than one code")
    assert captured.err.splitlines()[1:] == ["1 problem(s) found; nothing was run."]
    assert not (tmp_path / "study").exists()


# --- command line -----------------------------------------------------------------------------

@needs_shared
def test_cli_imports_maxqda_by_set_and_explains_what_is_missing(tmp_path, capsys):
    from coopresearch.cli import main

    assert main(["import-qdpx", str(MAXQDA), "--study", str(tmp_path / "no")]) == 1
    assert "no coded text selections" in capsys.readouterr().err and not (tmp_path / "no").exists()
    assert main(["import-qdpx", str(MAXQDA), "--study", str(tmp_path / "mx"), "--paragraphs", "--map", "party=set"]) == 0
    out = capsys.readouterr().out
    assert "10 text sources → 10 interviews" in out and "valid — 10 interviews" in out
    assert load_study(tmp_path / "mx").party_labels("en") == {"icls_2024": "ICLS 2024", "icls_2025": "ICLS 2025"}
    with pytest.raises(SystemExit):
        main(["import-qdpx", str(MAXQDA), "--study", str(tmp_path / "x"), "--map", "party"])
    assert "is not COLUMN=ATTRIBUTE" in capsys.readouterr().err


def test_cli_exports_the_mini_study(tmp_path, capsys):
    from coopresearch.cli import main

    assert main(["export-qdpx", str(MINI), "--out", str(tmp_path / "m.qdpx"), "--codebook-out", str(tmp_path / "m.qdc"),
                 "--lang", "en"]) == 0
    assert capsys.readouterr().out.splitlines() == [f"Wrote {tmp_path / 'm.qdpx'}", f"Wrote {tmp_path / 'm.qdc'}"]
    assert b'name="Transparency"' in (tmp_path / "m.qdc").read_bytes()


@needs_shared
def test_qualcoder_codes_map_onto_the_default_codebook_by_their_own_name():
    # "Samenwerking › transparantie" is nested, but its name matches the theme label "Transparantie"
    imported = study_from_project(read_qdpx(QUALCODER), codebook=default_codebook())
    assert sorted(set(imported.tables["codings"]["theme"])) == ["mandate", "reliability", "transparency"]
    assert [t["id"] for t in yaml_load(imported.codebook)["themes"]] == ["transparency", "mandate", "reliability"]


def test_damaged_selections_are_named():
    damaged = project(f'{CODES}<Sources><TextSource guid="{guid(1)}" name="a"><PlainTextContent>Tekst.</PlainTextContent>'
                      f'<PlainTextSelection guid="{guid(2)}" startPosition="x" endPosition="3"/></TextSource></Sources>')
    with pytest.raises(CoopResearchError, match=r"selection [0-]+2 in 'a' lacks a whole-number startPosition"):
        parse_project(damaged)


def test_export_drops_characters_xml_cannot_carry(tmp_path):
    study = load_study(MINI)
    quotes = study.quotes.copy()
    quotes.loc[0, "text"] = "Bel\x0b mij."
    xml, files = project_xml(type(study)(study.root, study.config, study.codebook, {**study.tables, "quotes": quotes}))
    assert b'name="Bel mij."' in xml and b"Bel\x0b mij." in b"".join(files.values())  # the text keeps its positions
