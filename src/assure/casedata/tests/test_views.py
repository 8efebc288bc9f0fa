"""The upload page: system administrators only; problems shown, imports done."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assure.accounts.models import Role
from assure.casedata import models
from assure.casedata.tests.conftest import make_user
from assure.casedata.tests.extracts import base_tables, write_extract


def zipped(folder) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, path.name)
    return buffer.getvalue()


def upload(client, content: bytes, name="extract.zip", **data):
    return client.post(
        reverse("casedata:imports"),
        {"extract": SimpleUploadedFile(name, content, "application/zip"), **data},
    )


@pytest.mark.django_db
def test_administrator_sees_the_page_and_imports(client, admin_user, extract):
    client.force_login(admin_user)
    page = client.get(reverse("casedata:imports"))
    assert page.status_code == 200
    assert "No extract has been imported yet" in page.content.decode()
    response = upload(client, zipped(extract), extract_date="2025-06-30")
    assert response.status_code == 302
    assert models.Person.objects.count() == 3
    page = client.get(reverse("casedata:imports")).content.decode()
    assert "30 June 2025" in page
    assert "Extract imported: 24 rows added" in page
    assert "pers_forename" in page  # listed as a column not read


@pytest.mark.django_db
def test_problems_are_shown_and_nothing_imported(client, admin_user, tmp_path):
    tables = base_tables()
    tables["ssd_cp_visits"][0]["cppv_cp_visit_seen"] = "perhaps"
    client.force_login(admin_user)
    response = upload(client, zipped(write_extract(tmp_path / "bad", tables)))
    body = response.content.decode()
    assert response.status_code == 200
    assert "The extract has 1 problem: nothing was imported" in body
    assert "ssd_cp_visits.csv" in body
    assert "perhaps" in body
    assert models.Person.objects.count() == 0


@pytest.mark.django_db
def test_not_a_zip_file(client, admin_user):
    client.force_login(admin_user)
    body = upload(client, b"pers_person_id\nP1\n", name="ssd_person.csv").content.decode()
    assert "must be a .zip file" in body
    body = upload(client, b"not really a zip").content.decode()
    assert "must be a .zip of the extract" in body


@pytest.mark.django_db
def test_unsafe_member_names_are_refused(client, admin_user):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../../ssd_person.csv", "pers_person_id\nP1\n")
    client.force_login(admin_user)
    body = upload(client, buffer.getvalue()).content.decode()
    assert "unsafe name" in body
    assert models.Person.objects.count() == 0


@pytest.mark.django_db
def test_zip_bombs_are_refused(client, admin_user, settings):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("ssd_person.csv", "pers_person_id\n" + "0" * 5_000_000)
    client.force_login(admin_user)
    body = upload(client, buffer.getvalue()).content.decode()
    assert "compressed suspiciously well" in body
    settings.ASSURE_CASE_IMPORT_MAX_UNCOMPRESSED_BYTES = 1000
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("ssd_person.csv", "pers_person_id\n" + "P1\n" * 1000)
    body = upload(client, buffer.getvalue()).content.decode()
    assert "too large once uncompressed" in body


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.PARTNERSHIP_MANAGER, Role.CHILDRENS_SERVICES_MANAGER])
def test_other_roles_are_refused(client, agency, extract, role):
    client.force_login(make_user(agency, "someone", role))
    assert client.get(reverse("casedata:imports")).status_code == 403
    assert upload(client, zipped(extract)).status_code == 403
    assert models.Person.objects.count() == 0


@pytest.mark.django_db
def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get(reverse("casedata:imports"))
    assert response.status_code == 302
    assert "sign-in" in response["Location"]
