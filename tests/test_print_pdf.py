"""Print: a page and the whole guide render to clean PDFs in headless Chromium.

Checks the page count and the text: the content and references are there, the link URLs
follow their text, and the header, navigation, search and palette toggle are gone.
"""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from browser_support import CONTRAST_JS, label_for, settle, wait_until

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


# Every text link in the content, and the icon colour of the key points box, on paper.
PRINT_COLOURS_JS = """() => { const ratio = %s;
  const links = [...document.querySelectorAll('.md-content a[href]')].filter(a => a.textContent.trim() && a.getClientRects().length);
  const low = links.map(a => [a.textContent.trim().slice(0, 30), ratio(a)]).filter(([, r]) => r.ratio < 4.5);
  return {links: links.length, low: low.slice(0, 5), lowCount: low.length,
          key: getComputedStyle(document.body).getPropertyValue('--guide-key').trim()}; }""" % CONTRAST_JS


@pytest.mark.parametrize("path", ["hsct/", "print/"])
def test_a_dark_palette_reader_prints_dark_links_on_white(browser, base_url, path):
    """A reader who reads in the dark palette prints the light palette's colours: paper is white,
    and the dark palette's pale links (#8ab4f8) are 2.1:1 on it."""
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    where = label_for(path, 1280, "dark", ", print")
    try:
        page.goto(base_url + path, wait_until="load")
        wait_until(page, "() => document.body.getAttribute('data-md-color-scheme') === 'slate'",
                   f"{where}: the dark palette", "() => document.body.getAttribute('data-md-color-scheme')")
        page.emulate_media(media="print")
        settle(page, "the links' colour transitions into print")  # the colour changes, so it transitions
        found = page.evaluate(PRINT_COLOURS_JS)
    finally:
        context.close()
    assert found["links"] > 10, f"{where}: only {found['links']} links measured"
    assert not found["lowCount"], (f"{where}: {found['lowCount']} links print below 4.5:1 on white, e.g. "
                                   f"{found['low']}. Keep dark-palette colours in @media screen "
                                   f"(docs/stylesheets/extra.css).")
    assert found["key"] == "#1a4f9c", f"{where}: the key points colour prints as {found['key']}, not the light #1a4f9c"
