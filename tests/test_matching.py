"""The same paper listed twice by different links is found once the sources have answered."""

from __future__ import annotations

from harvester.matching import same_papers
from harvester.models import Entry, Link, Paper, PaperIds


def entry(name: str, links: list[Link], **ids: str) -> Entry:
    paper = Paper(title=name, ids=PaperIds(**ids))
    return Entry(key=name.lower(), name=name, kind="paper", section=[], text=None,
                 listed_venue=None, links=links, paper=paper)


ARXIV = Link(label="paper", url="https://arxiv.org/abs/2310.16046", kind="arxiv",
             id="2310.16046")
DOI = Link(label="paper", url="https://doi.org/10.5555/j.1", kind="doi", id="10.5555/j.1")
OTHER = Link(label="paper", url="https://arxiv.org/abs/2401.00001", kind="arxiv",
             id="2401.00001")


def test_an_arxiv_link_and_a_journal_doi_of_one_paper_are_flagged():
    first = entry("POYO", [ARXIV], arxiv="2310.16046", doi="10.5555/J.1", s2="abc")
    second = entry("POYO (journal)", [DOI], doi="10.5555/j.1", s2="abc")
    assert same_papers([first, second]) == [
        "'POYO (journal)' and 'POYO' are the same paper (doi:10.5555/j.1, s2:abc); both kept"]


def test_different_papers_and_shared_links_are_not_flagged():
    one = entry("A", [ARXIV], arxiv="2310.16046", s2="abc")
    other = entry("B", [OTHER], arxiv="2401.00001", s2="def")
    assert same_papers([one, other]) == []
    # the parser already warns when the links themselves are shared
    again = entry("A again", [ARXIV], arxiv="2310.16046", s2="abc")
    assert same_papers([one, again]) == []
    assert same_papers([entry("no paper", [DOI])]) == []
