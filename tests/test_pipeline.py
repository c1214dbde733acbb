"""Pipeline helpers: entry keys, what each entry asks, the title a list gives a paper."""

from __future__ import annotations

from harvester.listparse import parse_list
from harvester.plan import Lookups, list_title, plan_entry, unique_keys
from harvester.sources.semanticscholar import s2_id


def entries(markdown: str):
    return parse_list(markdown).entries


def test_unique_keys_are_stable_slugs():
    assert unique_keys(["POYO", "POYO+", "POYO", "Wang et al.", "Ünïcode Name", "!!!"]) == [
        "poyo", "poyo-2", "poyo-3", "wang-et-al", "unicode-name", "entry"]


def test_plan_takes_ids_and_picks_the_s2_key():
    (poyo,) = entries("- **POYO**: A. NeurIPS 2023 [[paper](https://arxiv.org/abs/2310.16046v2)]"
                      " [[code](https://github.com/Joel99/NDT3)]\n")
    plan = plan_entry(poyo, "poyo")
    assert plan.claimed("arxiv") == ["2310.16046"]
    assert s2_id(Lookups().view(plan)) == "ARXIV:2310.16046"
    assert plan.claimed("github") == ["joel99/ndt3"]
    (ndt3,) = entries("- **NDT3**: B. Preprint, 2025 "
                      "[[paper](https://www.biorxiv.org/content/10.1101/2025.02.02.634313v1)]\n")
    plan = plan_entry(ndt3, "ndt3")
    assert plan.claimed("biorxiv") == ["10.1101/2025.02.02.634313"]
    assert s2_id(Lookups().view(plan)) == (
        "URL:https://www.biorxiv.org/content/10.1101/2025.02.02.634313")
    (med,) = entries("- **M**: C [[paper](https://www.medrxiv.org/content/10.1101/2024.01.01.1v2)]\n")
    assert s2_id(Lookups().view(plan_entry(med, "m"))) == "DOI:10.1101/2024.01.01.1"


def test_a_bare_proceedings_page_is_noted_not_guessed():
    (ndt2,) = entries("- **NDT2**: Neural Data Transformer 2: Multi-context Pretraining for "
                      "Neural Spiking Activity. NeurIPS 2023 "
                      "[[paper](https://proceedings.neurips.cc/paper_files/paper/2023)]\n")
    plan = plan_entry(ndt2, "ndt2")
    assert plan.claimed("neurips") == [] and s2_id(Lookups().view(plan)) is None
    assert [n.kind for n in plan.notes] == ["not_found"]
    assert list_title(ndt2) == ("Neural Data Transformer 2: Multi-context Pretraining for "
                                "Neural Spiking Activity")


def test_a_title_written_as_the_name_is_the_title():
    (entry,) = entries("## Classics\n\n**Deep Variational Information Bottleneck** "
                       "[[link](https://arxiv.org/abs/1612.00410)] \\\nAlemi et al.\\\n"
                       "*ICLR, 2017*\n")
    assert list_title(entry) == "Deep Variational Information Bottleneck"


def test_a_published_preprint_s2_does_not_know_is_asked_by_its_journal_doi_first():
    # S2 folds a published preprint into its journal record: its own DOI is unknown there,
    # its journal DOI is known; the title is asked only when both are unknown
    from harvester.sources import Result
    from harvester.sources.semanticscholar import SPEC

    (med,) = entries("- **M**: C [[paper](https://www.medrxiv.org/content/10.1101/2024.01.01.1v2)]\n")
    plan = plan_entry(med, "m")
    stage = {st.name: st for st in SPEC.stages}
    lookups = Lookups()
    view = lookups.view(plan)
    lookups.record_asked("biorxiv", {"m": ["medrxiv:10.1101/2024.01.01.1"]})
    lookups.update("biorxiv", {"medrxiv:10.1101/2024.01.01.1": Result(status="ok", record={
        "title": "A preprint", "year": 2024, "published_doi": "10.1523/JNEUROSCI.1-24.2025"})})
    assert stage["s2-journal"].keys(view) == []  # its own id is not answered yet
    lookups.record_asked("s2-ids", {"m": ["DOI:10.1101/2024.01.01.1"]})
    lookups.update("semanticscholar", {"DOI:10.1101/2024.01.01.1": Result(status="not_found")})
    assert stage["s2-journal"].keys(view) == ["DOI:10.1523/jneurosci.1-24.2025"]
    lookups.update("semanticscholar", {"DOI:10.1523/jneurosci.1-24.2025": Result(
        status="ok", record={"title": "A preprint"})})
    assert stage["s2-fallback"].keys(view) == []
    lookups.update("semanticscholar", {"DOI:10.1523/jneurosci.1-24.2025": Result(
        status="not_found")})
    assert stage["s2-fallback"].keys(view) == ["TITLE:2024:A preprint"]


def test_what_an_entry_asked_a_source_follows_its_stage_order_not_the_order_stages_end():
    # the stages of one source end in any order (they run side by side); an entry's keys of
    # that source are read in the order the source declares its stages, as each one records
    (med,) = entries("- **M**: C [[paper](https://www.medrxiv.org/content/10.1101/2024.01.01.1v2)]\n")
    lookups = Lookups()
    view = lookups.view(plan_entry(med, "m"))
    lookups.record_asked("s2-journal", {"m": ["DOI:10.1/journal"], "other": []})
    assert view.asked("semanticscholar") == ["DOI:10.1/journal"]
    lookups.record_asked("s2-fallback", {"m": ["TITLE:2024:C"]})
    lookups.record_asked("s2-ids", {"m": ["DOI:10.1101/2024.01.01.1"]})
    assert view.asked("semanticscholar") == [
        "DOI:10.1101/2024.01.01.1", "DOI:10.1/journal", "TITLE:2024:C"]
    assert lookups.asked_in("m", "s2-journal") == ["DOI:10.1/journal"]
    assert view.asked("crossref") == [] and lookups.asked_in("other", "s2-journal") == []
