"""The query page, the views and the entity pages in a real headless Chromium against a live server.

Debian's ``chromium`` and ``chromium-driver`` are installed by
``tests/install-chromium.sh`` (``make test`` runs it; this module runs it too
if they are missing); Selenium drives them by path, so nothing is downloaded.
Screenshots are kept in ``build/test-artefacts/screenshots/``.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from missilekg.graph.loading.build import build
from missilekg.graph.store.embedded import EmbeddedStore
from tests.conftest import ROOT, SEEDS
from tests.servers import running_server

CHROMIUM, DRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
SHOTS = ROOT / "build" / "test-artefacts" / "screenshots"
STATEMENT = "000_87d0ee4506161818/kostin-24-missiles"


def _ensure_browser() -> None:
    if CHROMIUM.exists() and DRIVER.exists():
        return
    done = subprocess.run([str(ROOT / "tests" / "install-chromium.sh")], capture_output=True, text=True, check=False)
    if done.returncode != 0 or not DRIVER.exists():
        pytest.fail(f"Debian's chromium and chromium-driver are needed; installing them failed:\n{done.stderr[-2000:]}")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[str]:
    store = tmp_path_factory.mktemp("browser") / "store"
    built = EmbeddedStore(store)
    build(built, SEEDS)
    built.close()
    with running_server(store) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    _ensure_browser()
    options = Options()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1366,900",
                     "--disable-gpu", "--no-first-run", "--disable-extensions"):  # fmt: skip
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(str(DRIVER)), options=options)
    driver.set_page_load_timeout(30)
    SHOTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()


def _shot(driver: WebDriver, name: str) -> Path:
    path = SHOTS / f"{name}.png"
    driver.save_screenshot(str(path))
    assert path.stat().st_size > 5_000, "the screenshot is not blank"
    return path


def _wait(driver: WebDriver, css: str, timeout: float = 20):
    return WebDriverWait(driver, timeout).until(ec.visibility_of_element_located((By.CSS_SELECTOR, css)))


def _same_origin_only(driver: WebDriver, site: str) -> None:
    loaded = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    origin = urlparse(site).netloc
    outside = [url for url in loaded if urlparse(url).netloc not in (origin, "")]
    assert not outside, f"the page loaded from elsewhere: {outside}"


def _rows(driver: WebDriver) -> list[str]:
    # Read in one script: the table may be redrawn between finding a row and reading it (a stale element).
    return driver.execute_script(
        "return [...document.querySelectorAll('#yasgui .yasr table tbody tr')].map((row) => row.innerText)"
    )


def test_a_named_query_runs_and_shows_a_sortable_table_with_entity_links(browser, site):
    browser.get(site + "/")
    _wait(browser, ".CodeMirror")  # the editor, with syntax highlighting, is up
    browser.find_element(By.CSS_SELECTOR, '[data-query="Q2"]').click()
    _wait(browser, "#yasgui .yasr table tbody tr")
    rows = _rows(browser)
    assert len(rows) >= 6 and any("Kostin" in row for row in rows)
    links = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "#yasgui .yasr table a")]
    assert any(urlparse(href).path.startswith("/id/statement/") for href in links if href)
    assert not any(href.startswith("https://missilekg.org/id/") for href in links if href)
    header = next(h for h in browser.find_elements(By.CSS_SELECTOR, "#yasgui .yasr table thead th")
                  if h.text.strip() == "speakerName")  # fmt: skip
    before = _rows(browser)
    header.click()
    WebDriverWait(browser, 10).until(lambda d: _rows(d) != before)
    assert sorted(_rows(browser)) == sorted(before), "clicking a column header sorts the same rows"
    _shot(browser, "query-page-Q2")
    _same_origin_only(browser, site)


def test_the_keyboard_reaches_the_catalogue_and_runs_a_query(browser, site):
    browser.get(site + "/")
    _wait(browser, ".CodeMirror")
    for _ in range(40):  # from the editor, which has the focus, back to the catalogue with Shift-Tab
        ActionChains(browser).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()
        if browser.switch_to.active_element.get_attribute("data-query") == "Q9":
            break
    assert browser.switch_to.active_element.get_attribute("data-query") == "Q9"
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    _wait(browser, "#yasgui .yasr table tbody tr")
    assert _rows(browser)
    _shot(browser, "query-page-keyboard-Q9")


def test_a_statement_page_highlights_its_evidence_and_draws_its_neighbourhood(browser, site):
    browser.get(f"{site}/id/statement/{STATEMENT}")
    mark = _wait(browser, "blockquote.evidence mark")
    annotation = yaml.safe_load((SEEDS / "000_87d0ee4506161818.yaml").read_text(encoding="utf-8"))
    quote = next(s for s in annotation["statements"] if s["id"] == "kostin-24-missiles")["evidence"]["text"]
    assert " ".join(mark.text.split()) == " ".join(quote.split())
    assert mark.size["height"] > 0 and mark.value_of_css_property("background-color") != "rgba(0, 0, 0, 0)"
    graph = _wait(browser, "svg.neighbourhood")
    nodes = graph.find_elements(By.CSS_SELECTOR, "a")
    assert len(nodes) >= 5 and graph.size["width"] > 400
    labels = graph.text
    assert "Andriy Kostin" in labels
    _shot(browser, "statement-page")
    browser.execute_script("arguments[0].scrollIntoView()", graph)
    _shot(browser, "statement-neighbourhood")
    kostin = next(n for n in nodes if "Andriy Kostin" in n.text)
    kostin.click()
    _wait(browser, "h1")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Andriy Kostin"
    _same_origin_only(browser, site)


def test_why_an_inferred_value_holds_opens_its_proof(browser, site):
    """On a strike's page, the "why?" beside its inferred country shows the proof, down to the article."""
    browser.get(f"{site}/id/strike/2024-02-07-kharkiv-kn23")
    why = next(link for link in browser.find_elements(By.CSS_SELECTOR, "a.why-link")
               if "strikeCountry" in (link.get_attribute("href") or ""))  # fmt: skip
    why.click()
    proof = _wait(browser, "section.why")
    assert proof.find_element(By.TAG_NAME, "h2").text.startswith("Why:")
    steps = proof.find_elements(By.CSS_SELECTOR, ".how")
    assert steps[0].text.startswith("by strike-country") and any("prp-spo2" in s.text for s in steps)
    assert proof.location["y"] < 900, "the proof is at the top of the page"
    _shot(browser, "why-strike-country")
    proof.find_element(By.CSS_SELECTOR, 'a[href="/id/article/001_b57d21d69b0ca47c"]').click()
    _wait(browser, "h1")
    assert "/id/article/001_b57d21d69b0ca47c" in browser.current_url
    _same_origin_only(browser, site)


def test_the_timeline_renders_one_dot_per_dated_claim(browser, site):
    browser.get(site + "/views/timeline")
    svg = _wait(browser, "svg.timeline")
    dots = svg.find_elements(By.CSS_SELECTOR, "circle")
    dated = [r for r in browser.find_elements(By.CSS_SELECTOR, "table tbody tr") if not r.text.startswith("undated")]
    assert len(dots) == len(dated) >= 5
    assert all(dot.size["width"] > 0 for dot in dots), "every dot is drawn"
    assert "John Kirby" in svg.text and "Andriy Kostin" in svg.text
    _shot(browser, "timeline")


def test_the_bar_chart_counts_and_links(browser, site):
    browser.get(site + "/views/counts?by=weapon")
    svg = _wait(browser, "svg.bars")
    bars = svg.find_elements(By.CSS_SELECTOR, "rect")
    assert len(bars) >= 5 and bars[0].size["width"] >= bars[-1].size["width"]
    _shot(browser, "counts-by-weapon")
    svg.find_elements(By.CSS_SELECTOR, "a")[0].click()
    _wait(browser, "h1")
    assert "/id/weapon/" in browser.current_url


def _fits(driver: WebDriver) -> None:
    """No horizontal page overflow, and the results table inside the window."""
    page, view = driver.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert page <= view, f"the page is {page} px wide in a {view} px viewport"
    table = driver.find_element(By.CSS_SELECTOR, "#yasgui .yasr table.dataTable")
    assert table.location["x"] + table.size["width"] <= view


@pytest.mark.parametrize("width", [1400, 1920])
def test_results_fit_the_window_and_show_values_not_markup(browser, site, width):
    browser.set_window_size(width, 1000)
    try:
        browser.get(site + "/?query=Q2")
        _wait(browser, "#yasgui .yasr table tbody tr")
        WebDriverWait(browser, 10).until(
            lambda d: "Kostin, 2024-02-09" in d.find_element(By.CSS_SELECTOR, "#yasgui .yasr table tbody").text)
        _fits(browser)
        cells = [c.text for c in browser.find_elements(By.CSS_SELECTOR, "#yasgui .yasr table tbody td")]
        assert cells and not [c for c in cells if "^^" in c or "@en" in c], "no datatype or language markup"
        assert "false" in cells and "John Kirby" in cells, "literals as plain values"
        evidence = browser.find_elements(By.CSS_SELECTOR, "#yasgui .yasr td a.evidence")
        assert evidence and urlparse(evidence[0].get_attribute("href")).fragment == "evidence"
        WebDriverWait(browser, 10).until(lambda d: evidence[0].get_attribute("title"))
        long_cell = browser.find_element(By.CSS_SELECTOR, "#yasgui .yasr td div.value[title]")
        assert long_cell.get_attribute("title"), "the full value on hover"
        _shot(browser, f"query-page-Q2-{width}")
        browser.find_element(By.CSS_SELECTOR, "#yasgui .yasr .select_response").click()
        raw = _wait(browser, "#yasgui .yasr .CodeMirror").text
        assert "datatype" in raw, "the Response tab keeps the raw form"
        browser.find_element(By.CSS_SELECTOR, "#yasgui .yasr .select_table").click()
    finally:
        browser.set_window_size(1366, 900)


def test_disputes_query_and_view_show_the_iranian_missile_question(browser, site):
    browser.set_window_size(1400, 1000)
    try:
        browser.get(site + "/?query=Q13")
        _wait(browser, "#yasgui .yasr table tbody tr")
        assert any("John Kirby" in r and "rules out" in r and "2024-04-04" in r for r in _rows(browser))
        _fits(browser)
        _shot(browser, "query-page-Q13-1400")
        browser.get(site + "/views/disputes")
        against = _wait(browser, ".position.against")
        assert "John Kirby" in against.text and "2024-04-04" in against.text
        assert "Unnamed Iranian officials" in browser.find_element(By.CSS_SELECTOR, ".position.for").text
        assert "speculates" in browser.find_element(By.CSS_SELECTOR, ".position.open").text
        _shot(browser, "disputes-1400")
        against.find_element(By.CSS_SELECTOR, "blockquote a").click()
        title = _wait(browser, "h1").text
        assert title.startswith("John Kirby, 2024-04-04: “Kirby stated that while Iran")
        flag = _wait(browser, ".disputed")
        assert "Iran to Russia" in flag.text
        _shot(browser, "disputed-statement-1400")
    finally:
        browser.set_window_size(1366, 900)


@pytest.mark.parametrize("width", [1400, 1920])
def test_supply_to_use_and_titles_read_well(browser, site, width):
    browser.set_window_size(width, 1000)
    try:
        browser.get(site + "/views/supply")
        chain = _wait(browser, ".chain")
        assert "KN-23" in chain.text and "strike in Kharkiv on 2024-02-07" in chain.text
        assert "Serhii Bolvinov" in chain.text
        fits = "return document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        assert browser.execute_script(fits)
        _shot(browser, f"supply-{width}")
        browser.get(f"{site}/id/statement/001_b57d21d69b0ca47c/wood-accountable")
        assert _wait(browser, "h1").text.startswith("Robert Wood, 2024-02-06: “Wood went on to explain")
        browser.get(f"{site}/id/strike/2024-02-07-kharkiv-kn23")
        assert _wait(browser, "h1").text == "Strike in Kharkiv on 2024-02-07: KN-23"
        browser.get(f"{site}/id/transfer/iran-srbm-to-russia-ruled-out")
        assert _wait(browser, "h1").text.startswith("Iran to Russia: Iranian short-range ballistic missile")
        assert _wait(browser, ".disputed").is_displayed()
        _shot(browser, f"transfer-page-{width}")
    finally:
        browser.set_window_size(1366, 900)
