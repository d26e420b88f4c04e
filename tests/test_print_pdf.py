"""Print: a page and the whole guide render to clean PDFs in headless Chromium.

Checks the page count and the text: the content and references are there, the link URLs
follow their text, and the header, navigation, search and palette toggle are gone.
"""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest

pytestmark = pytest.mark.browser


def pdf_text(pdf: bytes, tmp_path) -> tuple[int, str]:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: apt-get install poppler-utils")
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(path)], capture_output=True,
                                                                   text=True, check=True).stdout).group(1))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return pages, text


def render(browser, url: str) -> bytes:
    context = browser.new_context()
    page = context.new_page()
    page.goto(url, wait_until="load")
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=True)
    context.close()
    return pdf


def test_a_page_prints_as_a_clean_handout(browser, base_url, tmp_path):
    pages, text = pdf_text(render(browser, base_url.rstrip("/") + "/hsct/"), tmp_path)
    flat = " ".join(text.split())
    assert 3 <= pages <= 20, f"hsct handout has {pages} pages"
    assert "Blood stem cell transplant (HSCT)" in flat and "Key points" in flat
    assert "References" in flat and "doi.org/10.1177/0961203312470729" in flat.replace(" ", "")
    assert re.search(r"\(https://", flat), "the URL of each link must follow its text in print"
    assert "Page last reviewed" in flat, "review dates must print"
    assert "This guide does not replace advice from your own doctor" in flat
    for chrome in ("Switch to dark mode", "Switch to light mode", "Type to start searching"):
        assert chrome not in flat, f"'{chrome}' (site navigation) must not print"


def test_the_whole_guide_prints(browser, base_url, tmp_path):
    pages, text = pdf_text(render(browser, base_url.rstrip("/") + "/print/"), tmp_path)
    flat = " ".join(text.split())
    assert pages >= 30, f"the whole guide printed on only {pages} pages"
    for title in ("Lupus basics", "Blood stem cell transplant (HSCT)", "Mesenchymal stem cells (MSC)",
                  "Compare your options", "Clinical trials and unproven clinics", "Glossary", "References",
                  "How this guide was made"):
        assert title in flat, f"'{title}' is missing from the printed guide"
