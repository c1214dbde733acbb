"""The site in a real headless browser: Debian's chromium and chromedriver, driven by selenium.

Skipped, with the reason, only when selenium or the browser is not installed (``.ci/run``
installs ``chromium`` and ``chromium-driver`` with apt before the tests).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from harvester.site import build_site

CHROMIUM = next((p for p in ("/usr/bin/chromium", shutil.which("chromium") or "") if p
                 and Path(p).exists()), None)
DRIVER = next((p for p in ("/usr/bin/chromedriver", shutil.which("chromedriver") or "") if p
               and Path(p).exists()), None)

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
if CHROMIUM is None or DRIVER is None:
    pytest.skip("no chromium and chromedriver on this machine (apt-get install chromium "
                "chromium-driver)", allow_module_level=True)

from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.select import Select  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

ARGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--window-size=1280,1000")


def paper(key: str, name: str, year: int, citations: int | None, stars: int | None,
          section: str, abstract: str, status: str = "accepted") -> dict:
    return {
        "key": key, "name": name, "kind": "paper", "section": [section], "text": None,
        "listed_venue": None, "links": [{"label": "paper", "url": f"https://arxiv.org/abs/{key}",
                                         "kind": "arxiv", "id": key}],
        "paper": {"title": f"{name}: a model", "year": year, "status": status,
                  "venue": f"ICLR {year}", "authors": [{"name": "Grace Hopper"}],
                  "citation_count": citations, "abstract": abstract,
                  "urls": {"landing": f"https://arxiv.org/abs/{key}"}},
        "repos": [] if stars is None else [{"full_name": f"lab/{key}", "stars": stars,
                                             "url": f"https://github.com/lab/{key}"}],
        "stale": [], "errors": [], "annotations": None,
    }


ENTRIES = [
    paper("alpha", "Alpha", 2021, 30, 5, "Models", "Spikes from monkeys."),
    paper("beta", "Beta", 2024, 300, None, "Models", "Calcium imaging in mice.", "preprint"),
    paper("gamma", "Gamma", 2023, None, 900, "Models", "A transformer for spikes."),
    paper("delta", "Delta", 2022, 3, 50, "Benchmarks", "A benchmark of decoders."),
    {"key": "site", "name": "<script>window.pwned = 1</script>", "kind": "resource",
     "section": ["Resources"], "text": None, "listed_venue": None, "links": [], "repos": []},
]


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ARGS:
        options.add_argument(arg)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('profile')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


@pytest.fixture
def page(tmp_path, browser):
    catalog = {"schema_version": 1, "list": {"source": "list.md", "sha256": "0", "title": "T"},
               "summary": {"entries": len(ENTRIES)}, "entries": ENTRIES}
    (tmp_path / "catalog.json").write_text(json.dumps(catalog), encoding="utf-8")
    index = build_site(tmp_path / "catalog.json", tmp_path / "site")
    browser.get(index.as_uri())
    WebDriverWait(browser, 10).until(
        lambda d: d.find_element(By.ID, "count").text.startswith("5 of 5"))
    return browser


def visible_keys(driver) -> list[str]:
    return [el.get_attribute("data-key") for el in driver.find_elements(By.CSS_SELECTOR,
                                                                        "[data-key]")
            if el.is_displayed()]


def keys_in(driver, section: str) -> list[str]:
    return [el.get_attribute("data-key") for el in driver.find_elements(
        By.CSS_SELECTOR, f'section[data-section="{section}"] [data-key]')]


def test_entries_render_search_narrows_sort_reorders(page, tmp_path):
    driver = page
    assert visible_keys(driver) == ["alpha", "beta", "gamma", "delta", "site"]
    assert driver.execute_script("return window.pwned === undefined")

    box = driver.find_element(By.ID, "q")
    box.send_keys("spikes")  # abstracts are searched
    WebDriverWait(driver, 5).until(lambda d: d.find_element(By.ID, "count").text.startswith("2 "))
    assert visible_keys(driver) == ["alpha", "gamma"]
    assert not driver.find_element(By.CSS_SELECTOR, 'section[data-section="Benchmarks"]'
                                   ).is_displayed()
    box.clear()
    box.send_keys("hopper beta")  # every word must match: an author and a name
    WebDriverWait(driver, 5).until(lambda d: d.find_element(By.ID, "count").text.startswith("1 "))
    assert visible_keys(driver) == ["beta"]
    box.clear()
    box.send_keys(" ")
    WebDriverWait(driver, 5).until(lambda d: d.find_element(By.ID, "count").text.startswith("5 "))

    sort = Select(driver.find_element(By.ID, "sort"))
    sort.select_by_value("citations")
    assert keys_in(driver, "Models") == ["beta", "alpha", "gamma"]  # unknown count last
    sort.select_by_value("stars")
    assert keys_in(driver, "Models") == ["gamma", "alpha", "beta"]
    sort.select_by_value("year")
    assert keys_in(driver, "Models") == ["beta", "gamma", "alpha"]
    sort.select_by_value("name")
    assert keys_in(driver, "Models") == ["alpha", "beta", "gamma"]

    Select(driver.find_element(By.ID, "f-status")).select_by_value("preprint")
    assert visible_keys(driver) == ["beta"]
    Select(driver.find_element(By.ID, "f-status")).select_by_value("")
    Select(driver.find_element(By.ID, "f-year")).select_by_value("2022")
    assert visible_keys(driver) == ["delta"]
    Select(driver.find_element(By.ID, "f-year")).select_by_value("")
    Select(driver.find_element(By.ID, "f-section")).select_by_value("Resources")
    assert visible_keys(driver) == ["site"]

    driver.save_screenshot(str(tmp_path / "site.png"))
    assert (tmp_path / "site.png").stat().st_size > 1000
    errors = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == []


def test_abstract_opens_from_the_keyboard(page):
    driver = page
    summary = driver.find_element(By.CSS_SELECTOR, '[data-key="alpha"] details summary')
    details = summary.find_element(By.XPATH, "..")
    assert details.get_attribute("open") is None
    summary.send_keys(" ")  # a summary is focusable and toggles with the keyboard
    WebDriverWait(driver, 5).until(lambda d: details.get_attribute("open") is not None)
    assert "Spikes from monkeys." in details.text
