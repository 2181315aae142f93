"""The procedure catalogue: sealed data file, validation, fees, legal times (docs/domain.md §6)."""

from __future__ import annotations

import json
import shutil
from datetime import date, datetime, timedelta, timezone

import pytest

from kiosk.cli import main
from kiosk.domain.catalogue import (
    BUILTIN_CATALOGUE,
    CatalogueInvalid,
    CatalogueTampered,
    catalogue_for_data_dir,
    load_catalogue,
    seal_catalogue,
    seal_path,
)
from kiosk.domain.ethnic_groups import ETHNIC_GROUPS

ICT = timezone(timedelta(hours=7))
REQUIRED_CODES = {
    "birth_registration",
    "death_registration",
    "marriage_registration",
    "marital_status_confirmation",
    "certified_copy",
    "permanent_residence",
    "temporary_residence",
    "residence_confirmation",
    "driving_licence_renewal",
}


@pytest.fixture
def copy(tmp_path):
    path = tmp_path / "procedures.json"
    shutil.copy(BUILTIN_CATALOGUE, path)
    shutil.copy(seal_path(BUILTIN_CATALOGUE), seal_path(path))
    return path


def edit(path, change):
    document = json.loads(path.read_text(encoding="utf-8"))
    change(document)
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")


class NextDay:
    """A WorkingDays stand-in: every day is a working day, results at 17:00."""

    def add(self, start: datetime, days: int) -> datetime:
        return (start + timedelta(days=days)).replace(hour=17, minute=0, second=0, microsecond=0)


def test_builtin_catalogue_loads_with_its_seal_and_has_the_nine_procedures():
    catalogue = load_catalogue()
    assert {p.code for p in catalogue.procedures} == REQUIRED_CODES


def test_a_file_edited_after_sealing_is_refused_as_tampered(copy):
    copy.write_bytes(copy.read_bytes().replace(b'"amount_vnd": 135000', b'"amount_vnd": 1'))
    with pytest.raises(CatalogueTampered):
        load_catalogue(copy)


def test_a_file_without_its_seal_is_refused(copy):
    seal_path(copy).unlink()
    with pytest.raises(CatalogueTampered):
        load_catalogue(copy)


def test_resealing_after_a_supervisor_edit_makes_the_file_load_again(copy):
    edit(copy, lambda d: d["procedures"][8]["fee"].update(amount_vnd=150000))
    seal_catalogue(copy)
    assert (
        load_catalogue(copy).get("driving_licence_renewal").fee.amount({}, date.today()) == 150000
    )


def test_sealing_refuses_a_file_that_does_not_validate(copy):
    edit(copy, lambda d: d["procedures"][0].update(receipt_form="02"))
    with pytest.raises(CatalogueInvalid, match="receipt_form"):
        seal_catalogue(copy)


def test_prefill_must_name_a_card_field(copy):
    edit(copy, lambda d: d["procedures"][0]["fields"][0].update(prefill_from="hometown"))
    with pytest.raises(CatalogueInvalid, match="hometown"):
        seal_catalogue(copy)


def test_duplicate_procedure_codes_are_refused(copy):
    edit(copy, lambda d: d["procedures"].append(d["procedures"][0]))
    with pytest.raises(CatalogueInvalid, match="duplicate"):
        seal_catalogue(copy)


def test_the_office_catalogue_in_the_data_folder_replaces_the_builtin_one(tmp_path, copy):
    edit(copy, lambda d: d.update(version="2026.2-office"))
    seal_catalogue(copy)
    assert catalogue_for_data_dir(tmp_path).version == "2026.2-office"


def test_every_procedure_says_which_receipt_form_applies():
    catalogue = load_catalogue()
    forms = {p.code: p.receipt_form for p in catalogue.procedures}
    residence = {"permanent_residence", "temporary_residence", "residence_confirmation"}
    assert {c for c, f in forms.items() if f == "CT04"} == residence  # docs/domain.md §6


def test_identity_fields_are_prefilled_from_the_card():
    spec = load_catalogue().get("permanent_residence")
    prefilled = {f.key: f.prefill_from for f in spec.fields if f.prefill_from}
    assert prefilled["applicant_id"] == "id_number"
    assert prefilled["current_address"] == "place_of_residence"


# Certified copy: 2,000 đ/page for pages 1-2, 1,000 đ/page from page 3, max 200,000 đ per copy
# (docs/domain.md §6, Circular 226/2016/TT-BTC).
@pytest.mark.parametrize(
    ("pages", "copies", "fee"),
    [
        ("1", "1", 2000),
        ("2", "1", 4000),
        ("3", "1", 5000),
        ("10", "2", 24000),
        ("500", "1", 200000),
    ],
)
def test_certified_copy_fee_follows_the_page_rule(pages, copies, fee):
    rule = load_catalogue().get("certified_copy").fee
    assert rule.amount({"pages": pages, "copies": copies}, date(2026, 1, 5)) == fee


def test_birth_registration_is_free_within_60_days_of_birth():
    rule = load_catalogue().get("birth_registration").fee
    assert rule.amount({"child_date_of_birth": "01/01/2026"}, date(2026, 3, 2)) == 0
    assert rule.amount({"child_date_of_birth": "01/01/2026"}, date(2026, 3, 3)) > 0


def test_residence_fee_depends_on_the_channel():
    rule = load_catalogue().get("permanent_residence").fee
    assert rule.amount({}, date(2026, 1, 5), "online") == 10000
    assert rule.amount({}, date(2026, 1, 5), "in_person") == 20000


def test_same_day_procedure_received_before_15h_is_due_the_same_day():
    spec = load_catalogue().get("birth_registration")
    due = spec.due_at(datetime(2026, 1, 5, 14, 59, tzinfo=ICT), NextDay())
    assert due.date() == date(2026, 1, 5)


def test_same_day_procedure_received_after_15h_is_due_the_next_working_day():
    spec = load_catalogue().get("certified_copy")
    due = spec.due_at(datetime(2026, 1, 5, 15, 0, tzinfo=ICT), NextDay())
    assert due.date() == date(2026, 1, 6)


def test_permanent_residence_takes_seven_working_days():
    spec = load_catalogue().get("permanent_residence")
    due = spec.due_at(datetime(2026, 1, 5, 9, 0, tzinfo=ICT), NextDay())
    assert due.date() == date(2026, 1, 12)


def test_catalogue_maps_to_the_journey_procedure_contract():
    procedure = load_catalogue().get("temporary_residence")
    assert (procedure.fee_vnd, procedure.processing_days, procedure.receipt_form) == (
        7000,
        3,
        "CT04",
    )
    assert procedure.fields[0].prefill_from == "full_name"


def test_cli_seal_reseals_an_edited_file(copy, capsys):
    edit(copy, lambda d: d.update(version="2026.3"))
    assert main(["catalogue", "check", str(copy)]) == 2
    assert main(["catalogue", "seal", str(copy)]) == 0
    assert main(["catalogue", "check", str(copy)]) == 0
    assert "2026.3" in capsys.readouterr().out


def test_a_childs_ethnicity_is_picked_from_the_54_groups():
    birth = next(p for p in load_catalogue().procedures if p.code == "birth_registration")
    ethnicity = next(f for f in birth.fields if f.key == "child_ethnicity")
    assert ethnicity.kind == "choice" and ethnicity.choices == ETHNIC_GROUPS
    assert len(ETHNIC_GROUPS) == len(set(ETHNIC_GROUPS)) == 54 and ETHNIC_GROUPS[0] == "Kinh"


def test_choices_from_must_name_a_known_list(copy):
    edit(
        copy,
        lambda d: d["procedures"][0]["fields"][-1].update(kind="choice", choices_from="tribes"),
    )
    with pytest.raises(CatalogueInvalid, match="choices_from"):
        seal_catalogue(copy)
