"""Evidence of an update: photos re-encoded without metadata, PDFs checked; type, size and count limits;
served to everyone once the report is published, to its authors only before."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from esep.core.errors import ApplicationError
from esep.core.uploads import clean_pdf
from esep.reports.models import Evidence, EvidenceKind
from esep.reports.services import evidence_add, evidence_remove, report_publish
from tests.reports.factories import filled_report

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def jpeg_with_gps() -> SimpleUploadedFile:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"  # Make
    exif[0x8825] = {2: (43.0, 15.0, 0.0)}  # GPS latitude
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return SimpleUploadedFile("road.jpg", buffer.getvalue(), content_type="image/jpeg")


def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buffer, format="PNG")
    return SimpleUploadedFile("lamp.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def draft(mandate, akim):
    return filled_report(mandate, actor=akim)


def update_of(report):
    return report.updates.order_by("pk").first()


@pytest.mark.django_db
def test_a_photo_is_stored_without_its_metadata(draft, akim) -> None:
    upload = jpeg_with_gps()
    assert b"Camera maker" in upload.read()
    upload.seek(0)
    evidence = evidence_add(update=update_of(draft), upload=upload, actor=akim, title="Дорога")
    assert (evidence.kind, evidence.content_type, evidence.width, evidence.height) == (
        "photo",
        "image/jpeg",
        40,
        30,
    )
    stored = evidence.file.open("rb").read()
    assert b"Camera maker" not in stored
    assert not Image.open(io.BytesIO(stored)).getexif()


@pytest.mark.django_db
def test_a_pdf_is_kept_as_a_document(draft, akim) -> None:
    evidence = evidence_add(update=update_of(draft), upload=SimpleUploadedFile("act.pdf", PDF), actor=akim)
    assert evidence.kind == EvidenceKind.PDF and evidence.size == len(PDF)


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"GIF89a not a photo", "photo_type"),
        (b"%PDF-1.4 cut short", "document_type"),
        (
            PDF.replace(b"/Type /Catalog", b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"),
            "document_active",
        ),
        (PDF.replace(b"/Type /Catalog", b"/OpenAction << /S /Launch /F (cmd.exe) >>"), "document_active"),
    ],
)
@pytest.mark.django_db
def test_files_that_are_not_photos_or_plain_pdfs_are_refused(draft, akim, content, code) -> None:
    with pytest.raises(ApplicationError) as refused:
        evidence_add(update=update_of(draft), upload=SimpleUploadedFile("x.pdf", content), actor=akim)
    assert refused.value.code == code
    assert not Evidence.objects.exists()


@pytest.mark.django_db
def test_at_most_five_files_per_update(draft, akim) -> None:
    update = update_of(draft)
    for _n in range(5):
        evidence_add(update=update, upload=png(), actor=akim)
    with pytest.raises(ApplicationError) as refused:
        evidence_add(update=update, upload=png(), actor=akim)
    assert refused.value.code == "too_many_files"


@pytest.mark.django_db
def test_a_photo_over_5_mb_is_refused(draft, akim) -> None:
    big = SimpleUploadedFile("big.png", b"\x89PNG" + b"0" * (5 * 1024 * 1024 + 10))
    with pytest.raises(ApplicationError) as refused:
        evidence_add(update=update_of(draft), upload=big, actor=akim)
    assert refused.value.code == "photo_too_large"


@pytest.mark.django_db
def test_evidence_of_a_published_report_cannot_be_removed_or_added(draft, akim) -> None:
    evidence = evidence_add(update=update_of(draft), upload=png(), actor=akim)
    report_publish(report=draft, actor=akim)
    with pytest.raises(ApplicationError):
        evidence_remove(evidence=evidence, actor=akim)
    with pytest.raises(ApplicationError):
        evidence_add(update=update_of(draft), upload=png(), actor=akim)


@pytest.mark.django_db
def test_the_timeline_entry_counts_the_evidence(draft, akim) -> None:
    update = update_of(draft)
    evidence_add(update=update, upload=png(), actor=akim)
    evidence_add(update=update, upload=SimpleUploadedFile("act.pdf", PDF), actor=akim)
    report_publish(report=draft, actor=akim)
    update.refresh_from_db()
    assert "1 photo" in update.event.evidence_note and "1 document" in update.event.evidence_note


@pytest.mark.django_db
def test_draft_evidence_is_for_its_authors_and_published_evidence_for_everyone(
    client, draft, akim, staff
) -> None:
    evidence = evidence_add(update=update_of(draft), upload=png(), actor=akim)
    url = f"/reports/evidence/{evidence.pk}/"
    assert client.get(url).status_code == 404
    client.force_login(staff)
    assert client.get(url).status_code == 200
    client.logout()
    report_publish(report=draft, actor=akim)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert "sandbox" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_a_pdf_is_served_as_a_download(client, draft, akim) -> None:
    evidence = evidence_add(update=update_of(draft), upload=SimpleUploadedFile("act.pdf", PDF), actor=akim)
    report_publish(report=draft, actor=akim)
    response = client.get(f"/reports/evidence/{evidence.pk}/")
    assert response["Content-Disposition"].startswith("attachment")


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=400))
def test_clean_pdf_accepts_only_a_signed_complete_file_and_never_crashes(content: bytes) -> None:
    try:
        document = clean_pdf(SimpleUploadedFile("x.pdf", content))
    except ApplicationError as refused:
        assert refused.code in {"document_type", "document_active", "document_too_large"}
    else:
        assert content.startswith(b"%PDF-") and b"%%EOF" in content
        assert document.size == len(content)
