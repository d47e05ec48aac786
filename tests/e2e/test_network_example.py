"""The network analysis of the bundled example study against what the reference study found (Emmen, 2009)."""

from pathlib import Path

import pytest

from coopresearch import load_study, network

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def study():
    return load_study(ROOT)


def test_gba_woz_and_geo_are_the_solitary_processes(study):
    projection = network.process_projection(network.build_process_graph(study.processes, study.relations))
    assert network.solitary_processes(projection)["process_id"].tolist() == ["P13", "P14", "P15"]


def test_housing_coordinators_and_project_leaders_are_linking_pins(study):
    pins = network.linking_pins(network.build_meeting_graph(study.meetings, study.relations))
    own = pins.loc[pins["actor_type"] == "department", "actor"].tolist()
    coordinators = ["Beleidsdienst – beleidsadviseur wonen", "Beleidsdienst – beleidsadviseur zorg en welzijn",
                    "Woningbouwregisseur", "Beleidsdienst – projectleider", "Gebiedsdienst – projectleider"]
    assert set(coordinators) <= set(own)
    assert own[:2] == coordinators[:2]  # the two policy advisers carry most of the coordination


def test_no_meeting_for_land_transactions_or_work_experience_places(study):
    gaps = network.coordination_gaps(study.processes, study.relations, study.meetings)
    unhandled = gaps.loc[gaps["gap"] == "process_without_meeting", "node"].tolist()
    assert {"P09", "P18"} <= set(unhandled)
