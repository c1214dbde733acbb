"""The data the fake APIs serve: papers, GitHub repos and list files, with generators.

A :class:`World` is plain data plus lookup indexes. Every API renderer (``formats.py``) derives its
answer from the same :class:`Paper`/:class:`Repo`, so the sources agree with each other the way the
real services do (and disagree where the real ones do: S2 folds a published bioRxiv preprint into
its journal record, OpenAlex keeps preprint and journal as separate works, and so on).

After changing ids or names of papers/repos in place, call :meth:`World.reindex`. Other fields
(stars, citation counts, titles, …) can be changed freely between requests; ETags follow.
"""

from __future__ import annotations

import hashlib
import random
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

__all__ = ["Paper", "Repo", "World", "normalise_title"]

ARXIV_NEW = re.compile(r"^\d{4}\.\d{4,5}$")
ARXIV_OLD = re.compile(r"^[a-z-]+/\d{7}$")


def _digest(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()


def _number(*parts: object, mod: int) -> int:
    return int(_digest(*parts)[:15], 16) % mod


def normalise_title(title: str) -> str:
    """Lower case, accents stripped, punctuation to spaces, spaces collapsed."""
    text = unicodedata.normalize("NFKD", title)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def stamp(day: date, *salt: object) -> datetime:
    """A deterministic time of day on ``day`` (UTC), so feeds look like real timestamps."""
    seconds = _number(day.isoformat(), *salt, mod=86400)
    return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(seconds=seconds)


# --------------------------------------------------------------------------- papers


@dataclass
class Paper:
    """One paper, with every id it has on every service (None: the service does not know it).

    ``published`` is the first public appearance (arXiv v1, bioRxiv v1, journal issue date for a
    journal-only paper). ``journal_published``/``journal_title`` describe the journal version of a
    preprint when it differs. ``repo`` is the repository the *list* links as ``[[code]]``;
    ``code_url`` is a GitHub URL the paper's own metadata mentions (arXiv comment, OpenReview
    ``code`` field, abstract) — the two may differ.
    """

    title: str
    abstract: str = ""
    authors: list[str] = field(default_factory=list)
    year: int = 2024
    published: date | None = None
    venue: str = ""
    """Short display venue: "NeurIPS 2023", "ICLR 2025", "Nature", "bioRxiv", "arXiv"."""
    arxiv: str | None = None
    arxiv_version: int = 1
    openreview: str | None = None
    openreview_venueid: str | None = None
    openreview_v1: bool = False
    openreview_decision: str | None = None
    """Accepted papers: "Poster", "Spotlight", "Oral" (v2 venue text) — v1: "Accept (Poster)"."""
    openreview_anonymous: bool = False
    """Double-blind and not accepted: authors are hidden in the note content."""
    biorxiv: str | None = None
    biorxiv_server: str = "biorxiv"
    biorxiv_versions: int = 1
    biorxiv_published_doi: str | None = None
    doi: str | None = None
    journal: str | None = None
    journal_title: str | None = None
    journal_published: date | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    neurips: tuple[int, str] | None = None
    neurips_track: str = "Conference"
    """"Conference" or "Datasets_and_Benchmarks_Track" (≥2024) / "Datasets_and_Benchmarks"."""
    citation_count: int = 0
    influential_citation_count: int = 0
    reference_count: int = 40
    s2_id: str = ""
    corpus_id: int = 0
    openalex_id: str = ""
    dblp: str | None = None
    code_url: str | None = None
    journal_ref: str | None = None
    comment: str | None = None
    categories: list[str] = field(default_factory=lambda: ["q-bio.NC", "cs.LG"])
    withdrawn: bool = False
    s2_known: bool = True
    crossref_known: bool = True
    """False: Crossref has no record of the paper's DOIs (a preprint then comes from bioRxiv)."""
    openalex_known: bool = True
    openalex_abstract: bool = True
    name: str = ""
    section: str = "Papers"
    listed_as: str | None = None
    """Which link the list uses: arxiv, openreview, biorxiv, doi, neurips, neurips_year, title."""
    list_venue: str | None = None
    repo: str | None = None

    def __post_init__(self) -> None:
        if self.published is None:
            self.published = date(self.year, 6, 1)
        key = self.key()
        if not self.s2_id:
            self.s2_id = hashlib.sha1(f"s2|{key}".encode()).hexdigest()
        if not self.corpus_id:
            self.corpus_id = 200_000_000 + _number("corpus", key, mod=80_000_000)
        if not self.openalex_id:
            self.openalex_id = f"W4{_number('openalex', key, mod=10**9):09d}"
        if self.listed_as is None:
            self.listed_as = next(
                (kind for kind, value in (
                    ("arxiv", self.arxiv), ("openreview", self.openreview),
                    ("biorxiv", self.biorxiv), ("doi", self.doi), ("neurips", self.neurips),
                ) if value),
                "title",
            )
        if not self.name:
            words = [w for w in re.findall(r"[A-Za-z]+", self.title) if w[0].isupper()]
            self.name = "".join(w[0] for w in words[:5]) or self.title[:12]

    def key(self) -> str:
        return self.arxiv or self.openreview or self.biorxiv or self.doi or (
            f"neurips:{self.neurips[0]}:{self.neurips[1]}" if self.neurips else
            f"title:{normalise_title(self.title)}"
        )

    # ----------------------------------------------------------------- derived facts

    @property
    def arxiv_doi(self) -> str | None:
        return f"10.48550/arXiv.{self.arxiv}" if self.arxiv else None

    @property
    def openreview_domain(self) -> str | None:
        """The venue group (``ICLR.cc/2025/Conference``) of ``openreview_venueid``."""
        if not self.openreview_venueid:
            return None
        return re.sub(
            r"/(Submission|Rejected_Submission|Withdrawn_Submission|Desk_Rejected_Submission)$",
            "", self.openreview_venueid,
        )

    @property
    def openreview_status(self) -> str:
        venueid = self.openreview_venueid or ""
        for suffix, status in (("/Desk_Rejected_Submission", "desk_rejected"),
                               ("/Rejected_Submission", "rejected"),
                               ("/Withdrawn_Submission", "withdrawn"),
                               ("/Submission", "under_review")):
            if venueid.endswith(suffix):
                return status
        return "accepted"

    @property
    def biorxiv_published(self) -> bool:
        return bool(self.biorxiv and self.biorxiv_published_doi)

    def list_url(self) -> str | None:
        """The ``[[paper](…)]`` URL of this paper in a generated list."""
        kind = self.listed_as
        if kind == "arxiv" and self.arxiv:
            return f"https://arxiv.org/abs/{self.arxiv}"
        if kind == "openreview" and self.openreview:
            return f"https://openreview.net/forum?id={self.openreview}"
        if kind == "biorxiv" and self.biorxiv:
            host = "www.medrxiv.org" if self.biorxiv_server == "medrxiv" else "www.biorxiv.org"
            return f"https://{host}/content/{self.biorxiv}v1"
        if kind == "doi" and self.doi:
            if self.doi.lower().startswith("10.1038/"):
                return f"https://www.nature.com/articles/{self.doi.split('/', 1)[1]}"
            return f"https://doi.org/{self.doi}"
        if kind == "neurips" and self.neurips:
            year, digest = self.neurips
            return (f"https://proceedings.neurips.cc/paper_files/paper/{year}/hash/"
                    f"{digest}-Abstract{neurips_suffix(year, self.neurips_track)}.html")
        if kind == "neurips_year":
            year = self.neurips[0] if self.neurips else self.year
            return f"https://proceedings.neurips.cc/paper_files/paper/{year}"
        return None


def neurips_suffix(year: int, track: str) -> str:
    """The Abstract-page suffix: none before 2022, then ``-Conference`` or the D&B track name."""
    if year < 2022:
        return ""
    if track.startswith("Datasets"):
        return "-Datasets_and_Benchmarks_Track" if year >= 2024 else "-Datasets_and_Benchmarks"
    return "-Conference"


# --------------------------------------------------------------------------- repos

LICENSES: dict[str, tuple[str, str]] = {
    "MIT": ("mit", "MIT License"),
    "Apache-2.0": ("apache-2.0", "Apache License 2.0"),
    "BSD-3-Clause": ("bsd-3-clause", 'BSD 3-Clause "New" or "Revised" License'),
    "BSD-2-Clause": ("bsd-2-clause", 'BSD 2-Clause "Simplified" License'),
    "GPL-3.0": ("gpl-3.0", "GNU General Public License v3.0"),
    "LGPL-3.0": ("lgpl-3.0", "GNU Lesser General Public License v3.0"),
    "CC-BY-4.0": ("cc-by-4.0", "Creative Commons Attribution 4.0 International"),
    "NOASSERTION": ("other", "Other"),
}


@dataclass
class Repo:
    """A GitHub repository. ``full_name`` is the name the list uses; when ``renamed_to`` is set
    the repo now lives there: the old name answers REST 301 → ``/repositories/{id}`` and GraphQL
    (which follows renames) answers with the new ``nameWithOwner``."""

    full_name: str
    id: int = 0
    stars: int = 0
    forks: int = 0
    open_issues: int = 0
    watchers: int = 0
    """Real watchers (REST ``subscribers_count``); REST ``watchers_count`` equals the stars."""
    pushed_at: datetime = field(default_factory=lambda: datetime(2025, 1, 15, 12, tzinfo=UTC))
    created_at: datetime = field(default_factory=lambda: datetime(2022, 3, 1, 9, tzinfo=UTC))
    updated_at: datetime | None = None
    license: str | None = "MIT"
    archived: bool = False
    topics: list[str] = field(default_factory=list)
    description: str | None = None
    homepage: str | None = None
    language: str | None = "Python"
    renamed_to: str | None = None
    default_branch: str = "main"
    size: int = 1024

    def __post_init__(self) -> None:
        if not self.id:
            self.id = 100_000_000 + _number("repo", self.full_name.lower(), mod=800_000_000)

    @property
    def canonical(self) -> str:
        return self.renamed_to or self.full_name

    @property
    def owner(self) -> str:
        return self.canonical.split("/", 1)[0]

    @property
    def name(self) -> str:
        return self.canonical.split("/", 1)[1]

    @property
    def last_modified(self) -> datetime:
        return self.updated_at or max(self.pushed_at, self.created_at)

    @property
    def etag(self) -> str:
        """A weak ETag over everything the REST body shows: it changes when the data change."""
        state = (self.canonical, self.id, self.stars, self.forks, self.open_issues, self.watchers,
                 self.pushed_at, self.created_at, self.updated_at, self.license, self.archived,
                 tuple(self.topics), self.description, self.homepage, self.language,
                 self.default_branch, self.size)
        return f'W/"{_digest(*state)}"'


# --------------------------------------------------------------------------- world


class World:
    """Papers, repos and files (``files[("owner/repo", "path")] = text``) with lookup indexes.

    ``openalex_api_key``: when set, OpenAlex answers 401 unless ``api_key`` equals it.
    ``s2_api_key``: when set, an ``x-api-key`` header with any other value gets 403 Forbidden
    (no header: the unauthenticated pool). ``github_token``: when set, an Authorization header
    carrying another token gets 401 Bad credentials.
    """

    def __init__(
        self,
        papers: list[Paper] | None = None,
        repos: list[Repo] | None = None,
        files: dict[tuple[str, str], str] | None = None,
        *,
        openalex_api_key: str | None = None,
        s2_api_key: str | None = None,
        github_token: str | None = None,
        title: str = "Generated list",
    ) -> None:
        self.papers: list[Paper] = list(papers or [])
        self.repos: list[Repo] = list(repos or [])
        self.files: dict[tuple[str, str], str] = dict(files or {})
        self.openalex_api_key = openalex_api_key
        self.s2_api_key = s2_api_key
        self.github_token = github_token
        self.title = title
        self.reindex()

    def reindex(self) -> None:
        """Rebuild the lookup indexes after ids or names changed."""
        self._arxiv: dict[str, Paper] = {}
        self._openreview: dict[str, Paper] = {}
        self._biorxiv: dict[str, Paper] = {}
        self._doi: dict[str, Paper] = {}
        self._neurips: dict[tuple[int, str], Paper] = {}
        self._s2: dict[str, Paper] = {}
        self._corpus: dict[int, Paper] = {}
        self._openalex: dict[str, tuple[Paper, str]] = {}
        self._titles: dict[str, Paper] = {}
        self._title_tokens: list[tuple[frozenset[str], Paper]] = []
        for paper in self.papers:
            if paper.arxiv:
                self._arxiv[paper.arxiv] = paper
            if paper.openreview:
                self._openreview[paper.openreview] = paper
            if paper.biorxiv:
                self._biorxiv[paper.biorxiv.lower()] = paper
            if paper.doi:
                self._doi[paper.doi.lower()] = paper
            if paper.biorxiv_published_doi:
                self._doi.setdefault(paper.biorxiv_published_doi.lower(), paper)
            if paper.neurips:
                self._neurips[(paper.neurips[0], paper.neurips[1].lower())] = paper
            self._s2[paper.s2_id.lower()] = paper
            self._corpus[paper.corpus_id] = paper
            for kind, work_id in openalex_works(paper):
                self._openalex[work_id] = (paper, kind)
            norm = normalise_title(paper.title)
            self._titles.setdefault(norm, paper)
            self._title_tokens.append((frozenset(norm.split()), paper))
            if paper.journal_title:
                jnorm = normalise_title(paper.journal_title)
                self._titles.setdefault(jnorm, paper)
                self._title_tokens.append((frozenset(jnorm.split()), paper))
        self._repos: dict[str, Repo] = {}
        self._repo_ids: dict[int, Repo] = {}
        for repo in self.repos:
            self._repos[repo.full_name.lower()] = repo
            if repo.renamed_to:
                self._repos[repo.renamed_to.lower()] = repo
            self._repo_ids[repo.id] = repo

    # ----------------------------------------------------------------- lookups

    def by_arxiv(self, arxiv_id: str) -> Paper | None:
        return self._arxiv.get(re.sub(r"v\d+$", "", arxiv_id))

    def by_openreview(self, note_id: str) -> Paper | None:
        return self._openreview.get(note_id)

    def by_biorxiv(self, doi: str) -> Paper | None:
        return self._biorxiv.get(doi.lower())

    def by_doi(self, doi: str) -> Paper | None:
        """A journal DOI (``doi`` or a preprint's ``biorxiv_published_doi``)."""
        return self._doi.get(doi.lower())

    def by_neurips(self, year: int, digest: str) -> Paper | None:
        return self._neurips.get((year, digest.lower()))

    def by_s2_id(self, sha: str) -> Paper | None:
        return self._s2.get(sha.lower())

    def by_corpus_id(self, corpus_id: int) -> Paper | None:
        return self._corpus.get(corpus_id)

    def by_openalex_doi(self, doi: str) -> tuple[Paper, str] | None:
        """The OpenAlex work (paper, kind) for a DOI; kind is journal, arxiv or biorxiv."""
        hit = self._openalex.get(f"doi:{doi.lower()}")
        return hit if hit and hit[0].openalex_known else None

    def by_openalex_id(self, work_id: str) -> tuple[Paper, str] | None:
        hit = self._openalex.get(work_id.upper())
        return hit if hit and hit[0].openalex_known else None

    def by_title(self, title: str) -> tuple[Paper, float] | None:
        """Best title match (exact normalised, else token overlap ≥ 0.6) with a match score."""
        norm = normalise_title(title)
        if not norm:
            return None
        exact = self._titles.get(norm)
        if exact is not None:
            return exact, 100.0 + 2.0 * len(norm.split())
        tokens = frozenset(norm.split())
        best: tuple[float, Paper] | None = None
        for candidate, paper in self._title_tokens:
            union = len(tokens | candidate)
            score = len(tokens & candidate) / union if union else 0.0
            if score >= 0.6 and (best is None or score > best[0]):
                best = (score, paper)
        if best is None:
            return None
        return best[1], round(40.0 + 100.0 * best[0], 5)

    def repo(self, name: str) -> Repo | None:
        """A repo by its current or former ``owner/name`` (case-insensitive)."""
        return self._repos.get(name.lower())

    def repo_by_id(self, repo_id: int) -> Repo | None:
        return self._repo_ids.get(repo_id)

    def file(self, full_name: str, path: str) -> str | None:
        for (repo_name, file_path), text in self.files.items():
            if repo_name.lower() == full_name.lower() and file_path == path:
                return text
        return None

    def readme_path(self, full_name: str) -> str | None:
        """The root README's path, as GitHub's ``/readme`` endpoint picks it."""
        for repo_name, file_path in self.files:
            if repo_name.lower() == full_name.lower() and "/" not in file_path and (
                file_path.lower().startswith("readme")
            ):
                return file_path
        return None

    # ----------------------------------------------------------------- markdown

    def to_markdown(self, title: str | None = None) -> str:
        """An awesome list linking every paper the way the neurofm list does."""
        lines = [f"# {title or self.title}", "",
                 "A generated list of papers for testing the harvester.", ""]
        section = None
        repos = {r.full_name.lower(): r for r in self.repos}
        for paper in self.papers:
            if paper.section != section:
                section = paper.section
                lines += [f"### {section}", ""]
            venue = paper.list_venue or paper.venue or str(paper.year)
            text = f"- **{paper.name}**: {paper.title}. {venue}"
            url = paper.list_url()
            if url:
                text += f" [[paper]({url})]"
            if paper.repo:
                repo = repos.get(paper.repo.lower())
                text += f" [[code](https://github.com/{repo.full_name if repo else paper.repo})]"
            lines += [text, ""]
        return "\n".join(lines).rstrip() + "\n"

    # ----------------------------------------------------------------- builders

    @classmethod
    def generate(cls, n_entries: int, seed: int = 0) -> World:
        """A synthetic world of ``n_entries`` listed papers, deterministic for a seed."""
        return _Generator(seed).world(n_entries)

    @classmethod
    def neurofm(cls) -> World:
        """The world behind the real first-user list ``mazabou/awesome-neurofm``."""
        return _neurofm()


def openalex_works(paper: Paper) -> list[tuple[str, str]]:
    """(kind, index key) of the OpenAlex works of a paper: journal version, arXiv and bioRxiv
    preprints are separate works, each with its own W id (keys ``doi:<doi>`` and ``W…``)."""
    works: list[tuple[str, str]] = []
    base = int(paper.openalex_id[1:]) if paper.openalex_id[1:].isdigit() else 4_000_000_000
    journal = paper.doi or paper.biorxiv_published_doi
    if journal:
        works += [("journal", f"doi:{journal.lower()}"), ("journal", f"W{base}")]
    if paper.arxiv:
        works += [("arxiv", f"doi:{paper.arxiv_doi.lower()}"), ("arxiv", f"W{base + 1}")]
    if paper.biorxiv:
        works += [("biorxiv", f"doi:{paper.biorxiv.lower()}"), ("biorxiv", f"W{base + 2}")]
    return works


def openalex_work_id(paper: Paper, kind: str) -> str:
    base = int(paper.openalex_id[1:]) if paper.openalex_id[1:].isdigit() else 4_000_000_000
    return f"W{base + {'journal': 0, 'arxiv': 1, 'biorxiv': 2}[kind]}"


# --------------------------------------------------------------------------- generator

_FIRST = ("Ada", "Alan", "Grace", "Katherine", "Dorothy", "Mary", "Claude", "John", "Barbara",
          "Edsger", "Frances", "Donald", "Radia", "Leslie", "Shafi", "Judea", "Yoshua", "Fei",
          "Daphne", "Michael", "Eva", "Blake", "Guillaume", "Joel", "Chethan", "Liam", "Jakob",
          "Mackenzie", "Steffen", "Mehdi", "Vinam", "Auguste", "Cole", "Yizi", "Olivier",
          "Renee", "Andreas", "Paul", "Hiroshi", "Amara", "Chiara", "Mateo", "Zoë", "José")
_LAST = ("Lovelace", "Turing", "Hopper", "Johnson", "Vaughan", "Jackson", "Shannon", "McCarthy",
         "Liskov", "Dijkstra", "Allen", "Knuth", "Perlman", "Lamport", "Goldwasser", "Pearl",
         "Bengio", "Li", "Koller", "Jordan", "Dyer", "Richards", "Lajoie", "Ye", "Pandarinath",
         "Paninski", "Macke", "Mathis", "Schneider", "Azabou", "Arora", "Schulz", "Hurwitz",
         "Zhang", "Winter", "Tung", "Tolias", "Fahey", "Tanaka", "Okafor", "Rossi", "García",
         "Müller", "Núñez")
_ADJ = ("Scalable", "Unified", "Generalist", "Multi-session", "Self-supervised", "Contrastive",
        "Probabilistic", "Latent", "Hierarchical", "Sparse", "Causal", "Few-shot", "Robust",
        "Transferable", "Interpretable", "Dynamic", "Continuous", "Equivariant", "Recurrent",
        "Efficient")
_NOUN = ("Transformers", "Diffusion Models", "State-Space Models", "Autoencoders", "Embeddings",
         "Foundation Models", "Tokenizers", "Decoders", "Priors", "Representations",
         "Graph Networks", "Neural ODEs", "Mixture Models", "Point Processes", "Encoders")
_TOPIC = ("Neural Population Activity", "Spiking Data", "Calcium Imaging", "Motor Decoding",
          "Visual Cortex Responses", "Intracortical BCIs", "Multi-region Recordings",
          "Behavioural Video", "Hippocampal Replay", "Cross-species Transfer", "EEG Signals",
          "Local Field Potentials", "Single-cell Transcriptomics", "Whole-brain Imaging",
          "Speech Neuroprostheses", "Sleep Dynamics")
_TOPICS = ("neuroscience", "deep-learning", "pytorch", "bci", "transformers", "spiking",
           "calcium-imaging", "foundation-models", "jax", "neural-data")
_SECTIONS = ("Large-scale multi-animal models", "Decoding", "Generative models",
             "Representation learning", "Benchmarks", "Datasets and tools",
             "Other relevant models", "Theory")
_JOURNALS = (
    ("Nature", "10.1038/s41586-0{yy}-{n5}-{c}", "Springer Science and Business Media LLC"),
    ("Nature Neuroscience", "10.1038/s41593-0{yy}-{n5}-{c}",
     "Springer Science and Business Media LLC"),
    ("Neuron", "10.1016/j.neuron.{yyyy}.{mm}.{n3}", "Elsevier BV"),
    ("eLife", "10.7554/eLife.{n5}", "eLife Sciences Publications, Ltd"),
    ("PLOS Computational Biology", "10.1371/journal.pcbi.{n7}", "Public Library of Science (PLoS)"),
    ("Journal of Neuroscience", "10.1523/JNEUROSCI.{n4}-{yy}.{yyyy}", "Society for Neuroscience"),
)
_OR_VENUES = (
    ("ICLR.cc/{y}/Conference", range(2019, 2026)),
    ("NeurIPS.cc/{y}/Conference", range(2021, 2025)),
    ("ICML.cc/{y}/Conference", range(2023, 2025)),
    ("NeurIPS.cc/{y}/Datasets_and_Benchmarks_Track", range(2024, 2025)),
)
_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def journal_publisher(doi: str) -> str:
    prefix = doi.split("/", 1)[0]
    for _, pattern, publisher in _JOURNALS:
        if pattern.startswith(prefix + "/"):
            return publisher
    return "Example Scholarly Publishing"


class _Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.used: set[str] = set()

    def unique(self, make) -> str:
        for _ in range(1000):
            value = make()
            if value not in self.used:
                self.used.add(value)
                return value
        raise RuntimeError("could not draw a unique value")

    def day(self, year: int) -> date:
        return date(year, 1, 1) + timedelta(days=self.rng.randrange(0, 360))

    def authors(self) -> list[str]:
        r = self.rng
        count = r.choice((1, 2, 3, 3, 4, 4, 5, 6, 8, 12))
        names: list[str] = []
        while len(names) < count:
            first = r.choice(_FIRST)
            middle = f" {r.choice('ABCDEFGHJKLMNPRSTW')}." if r.random() < 0.25 else ""
            name = f"{first}{middle} {r.choice(_LAST)}"
            if name not in names:
                names.append(name)
        return names

    def title(self) -> str:
        r = self.rng

        def make() -> str:
            form = r.random()
            if form < 0.5:
                return f"{r.choice(_ADJ)} {r.choice(_NOUN)} for {r.choice(_TOPIC)}"
            if form < 0.8:
                return (f"{r.choice(_ADJ)} {r.choice(_ADJ).lower()} {r.choice(_NOUN).lower()} "
                        f"of {r.choice(_TOPIC).lower()}")
            return (f"Towards {r.choice(_ADJ).lower()} {r.choice(_NOUN).lower()}: "
                    f"{r.choice(_TOPIC)} at Scale")
        title = make()
        if normalise_title(title) in self.used:
            title = self.unique(lambda: f"{make()} {r.choice(('II', 'III', 'Revisited'))}")
        self.used.add(normalise_title(title))
        return title

    def abstract(self, title: str, code_url: str | None) -> str:
        r = self.rng
        sentences = [
            f"We introduce {title.split(':')[0].lower()}.",
            f"Our approach learns from {r.randrange(2, 400)} recording sessions across "
            f"{r.randrange(1, 30)} animals.",
            f"It improves decoding accuracy by {r.randrange(2, 40)}% over strong baselines.",
            "We release pretrained weights and evaluation code.",
        ]
        if code_url:
            sentences.append(f"Code is available at {code_url}.")
        return " ".join(sentences[: r.randrange(2, 5)] + sentences[4:])

    def arxiv_id(self, year: int) -> str:
        r = self.rng
        return self.unique(lambda: f"{year % 100:02d}{r.randrange(1, 13):02d}."
                                   f"{r.randrange(0, 30000):05d}")

    def openreview_id(self) -> str:
        return self.unique(lambda: "".join(self.rng.choice(_ALNUM) for _ in range(10)))

    def journal_doi(self, year: int) -> tuple[str, str]:
        r = self.rng
        journal, pattern, _ = r.choice(_JOURNALS)

        def make() -> str:
            return pattern.format(
                yy=f"{year % 100:02d}", yyyy=year, mm=f"{r.randrange(1, 13):02d}",
                n3=f"{r.randrange(1, 999):03d}", n4=f"{r.randrange(1, 9999):04d}",
                n5=f"{r.randrange(1, 99999):05d}", n7=f"{r.randrange(1, 10**7):07d}",
                c=r.choice("0123456789xyzw"))
        return journal, self.unique(make)

    def biorxiv_doi(self, day: date) -> str:
        prefix = "10.64898" if day >= date(2025, 12, 1) else "10.1101"
        return self.unique(lambda: f"{prefix}/{day.year}.{day.month:02d}.{day.day:02d}."
                                   f"{self.rng.randrange(400000, 700000):06d}")

    def repo(self, name_hint: str) -> Repo:
        r = self.rng
        owner = r.choice(_LAST).lower().replace("ü", "u").replace("í", "i").replace("ñ", "n")
        owner = re.sub(r"[^a-z0-9]", "", owner) + r.choice(
            ("", "-lab", "lab", "-group", str(r.randrange(10, 99))))
        base = re.sub(r"[^a-z0-9]+", "-", name_hint.lower()).strip("-") or "code"
        tails = ("", "", "-code", "-release", f"-{r.randrange(2, 9)}")
        full = self.unique(lambda: f"{owner}/{base}{r.choice(tails)}")
        created = datetime(r.randrange(2018, 2025), r.randrange(1, 13), r.randrange(1, 28),
                           r.randrange(0, 24), r.randrange(0, 60), tzinfo=UTC)
        pushed = created + timedelta(days=r.randrange(0, 700), seconds=r.randrange(0, 86400))
        stars = int(r.lognormvariate(3.5, 1.5))
        repo = Repo(
            full_name=full,
            id=int(self.unique(lambda: str(r.randrange(100_000_000, 999_999_999)))),
            stars=stars, forks=stars // r.randrange(3, 12), open_issues=r.randrange(0, 40),
            watchers=max(1, stars // r.randrange(8, 30)), pushed_at=pushed, created_at=created,
            updated_at=pushed + timedelta(hours=r.randrange(0, 72)),
            license=r.choice(("MIT", "MIT", "Apache-2.0", "BSD-3-Clause", "GPL-3.0", None,
                              "NOASSERTION")),
            archived=r.random() < 0.05,
            topics=sorted(r.sample(_TOPICS, r.randrange(0, 4))),
            description=f"Official implementation of {name_hint}" if r.random() < 0.9 else None,
            homepage=r.choice((None, "", f"https://{owner}.github.io/{base}")),
            language=r.choice(("Python", "Python", "Python", "Jupyter Notebook", "Julia", None)),
        )
        if r.random() < 0.07:
            suffixes = ("-archive", "-org", "x")
            repo.renamed_to = self.unique(lambda: f"{owner}{r.choice(suffixes)}/{base}")
        return repo

    def world(self, n_entries: int) -> World:
        r = self.rng
        papers: list[Paper] = []
        repos: list[Repo] = []
        section_index, next_section = 0, 0
        for index in range(n_entries):
            if index >= next_section:
                section = f"{_SECTIONS[section_index % len(_SECTIONS)]}"
                if section_index >= len(_SECTIONS):
                    section += f" {section_index // len(_SECTIONS) + 1}"
                section_index += 1
                next_section = index + r.randrange(15, 45)
            kind_roll = r.random()
            year = r.randrange(2017, 2026)
            day = self.day(year)
            title = self.title()
            repo = self.repo(title.split(" for ")[0]) if r.random() < 0.3 else None
            code_url = None
            if repo and r.random() < 0.5:
                code_url = f"https://github.com/{repo.full_name}"
            citations = int(r.lognormvariate(3.0, 1.6))
            paper = Paper(
                title=title, abstract="", authors=self.authors(), year=year, published=day,
                citation_count=citations, influential_citation_count=citations // 10,
                reference_count=r.randrange(10, 120), section=section,
                repo=repo.full_name if repo else None,
                s2_id=self.unique(lambda: f"{r.getrandbits(160):040x}"),
                corpus_id=int(self.unique(lambda: str(r.randrange(10**8, 3 * 10**8)))),
                openalex_id=self.unique(lambda: f"W4{r.randrange(10**9):09d}"),
                name=self.unique(lambda t=title: "".join(w[0] for w in t.split()[:4]).upper()
                                 + r.choice(("", "-" + str(r.randrange(2, 99))))),
            )
            self.fill(paper, kind_roll, code_url)
            paper.abstract = self.abstract(title, code_url if paper.listed_as != "arxiv" else None)
            papers.append(paper)
            if repo:
                repos.append(repo)
        return World(papers, repos, title="Generated list")

    def fill(self, paper: Paper, roll: float, code_url: str | None) -> None:
        r = self.rng
        year = paper.year
        if roll < 0.40:  # arXiv
            paper.arxiv = self.arxiv_id(year)
            paper.arxiv_version = r.choice((1, 1, 1, 2, 2, 3))
            paper.listed_as = "arxiv"
            paper.venue, paper.list_venue = "arXiv", f"Preprint, {year}"
            paper.categories = r.choice((["q-bio.NC", "cs.LG"], ["cs.LG", "q-bio.NC", "stat.ML"],
                                         ["q-bio.NC"], ["cs.NE", "q-bio.NC"]))
            venue_roll = r.random()
            if venue_roll < 0.3:
                conf = r.choice(("NeurIPS", "ICLR", "ICML"))
                paper.venue = paper.list_venue = f"{conf} {year}"
                paper.comment = f"Accepted at {conf} {year}"
                paper.dblp = f"conf/{conf.lower()}/{paper.name.replace('-', '')}{year % 100}"
                if conf == "NeurIPS" and r.random() < 0.5:
                    paper.neurips = (year, f"{r.getrandbits(128):032x}")
            elif venue_roll < 0.4:
                paper.journal, paper.doi = self.journal_doi(year)
                paper.journal_published = paper.published + timedelta(days=r.randrange(60, 400))
                paper.journal_ref = f"{paper.journal} {r.randrange(1, 600)}, {year}"
                paper.venue = paper.list_venue = f"{paper.journal} {year}"
            else:
                paper.comment = r.choice((None, f"{r.randrange(8, 40)} pages, "
                                          f"{r.randrange(2, 12)} figures"))
            if code_url:
                paper.code_url = code_url
                paper.comment = f"{paper.comment + '. ' if paper.comment else ''}Code: {code_url}"
            if r.random() < 0.01:
                paper.withdrawn = True
            paper.s2_known = r.random() < 0.97
        elif roll < 0.60:  # OpenReview
            template, years = r.choice(_OR_VENUES)
            year = r.choice(list(years))
            paper.year, paper.published = year, self.day(year - 1)
            venue = template.format(y=year)
            state = r.random()
            paper.openreview = self.openreview_id()
            paper.listed_as = "openreview"
            short = venue.split(".cc")[0] + f" {year}"
            if state < 0.7:
                paper.openreview_venueid = venue
                paper.openreview_decision = r.choice(("Poster", "Poster", "Spotlight", "Oral"))
                paper.venue = paper.list_venue = short
                paper.dblp = f"conf/{venue.split('.')[0].lower()}/{paper.name}{year % 100}"
            else:
                suffix = ("Submission" if state < 0.85 else
                          "Rejected_Submission" if state < 0.95 else "Withdrawn_Submission")
                paper.openreview_venueid = f"{venue}/{suffix}"
                paper.venue, paper.list_venue = "", f"Preprint, {year}"
                paper.openreview_anonymous = suffix == "Submission" and r.random() < 0.3
            paper.openreview_v1 = venue.startswith("ICLR") and year <= 2023
            if "NeurIPS" in venue and state < 0.7 and r.random() < 0.5:
                paper.neurips = (year, f"{r.getrandbits(128):032x}")
                if "Datasets" in venue:
                    paper.neurips_track = "Datasets_and_Benchmarks_Track"
            paper.code_url = code_url
            paper.s2_known = r.random() < 0.9
            paper.openalex_known = False
        elif roll < 0.75:  # bioRxiv
            paper.biorxiv = self.biorxiv_doi(paper.published)
            paper.biorxiv_server = "medrxiv" if r.random() < 0.1 else "biorxiv"
            paper.biorxiv_versions = r.choice((1, 1, 2, 3))
            paper.listed_as = "biorxiv"
            paper.venue, paper.list_venue = "bioRxiv", f"Preprint, {year}"
            if paper.biorxiv_server == "medrxiv":
                paper.venue = "medRxiv"
            if r.random() < 1 / 3:
                jyear = min(year + 1, 2026)
                paper.journal, paper.biorxiv_published_doi = self.journal_doi(jyear)
                paper.journal_published = paper.published + timedelta(days=r.randrange(120, 600))
                if r.random() < 0.4:
                    paper.journal_title = f"{paper.title.split(':')[0]} in vivo"
            paper.s2_known = r.random() < 0.95
            paper.openalex_abstract = r.random() < 0.8
        elif roll < 0.85:  # journal DOI
            paper.journal, paper.doi = self.journal_doi(year)
            paper.listed_as = "doi"
            paper.venue = paper.journal
            paper.list_venue = f"{paper.journal} {year}"
            paper.volume, paper.issue = str(r.randrange(1, 700)), str(r.randrange(1, 13))
            first = r.randrange(1, 2000)
            paper.pages = f"{first}-{first + r.randrange(5, 20)}"
            paper.openalex_abstract = r.random() < 0.7
        elif roll < 0.95:  # NeurIPS proceedings page
            year = r.randrange(2018, 2025)
            paper.year, paper.published = year, date(year, 12, r.randrange(1, 15))
            paper.neurips = (year, f"{r.getrandbits(128):032x}")
            if year >= 2021 and r.random() < 0.15:
                paper.neurips_track = ("Datasets_and_Benchmarks_Track" if year >= 2024
                                       else "Datasets_and_Benchmarks")
            paper.listed_as = "neurips"
            paper.venue = paper.list_venue = f"NeurIPS {year}"
            paper.dblp = f"conf/nips/{paper.name.replace('-', '')}{year % 100}"
            paper.openalex_known = False
        else:  # no id: title match only
            paper.listed_as = r.choice(("title", "neurips_year"))
            paper.venue = paper.list_venue = r.choice((f"NeurIPS {year}", f"Workshop {year}",
                                                       f"Preprint, {year}"))
            if paper.listed_as == "neurips_year":
                paper.neurips = (year, f"{r.getrandbits(128):032x}")
                paper.venue = paper.list_venue = f"NeurIPS {year}"
            paper.s2_known = r.random() < 0.8
            paper.openalex_known = False


# --------------------------------------------------------------------------- neurofm


def _neurofm_text() -> str | None:
    here = Path(__file__).resolve()
    candidates = [here.parents[1] / "data" / "lists" / "mazabou__awesome-neurofm.md",
                  here.parents[2] / "harvester" / "data" / "awesome-neurofm.md"]
    for path in candidates:
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return None


def _neurofm() -> World:
    d = date
    lm = "Large-scale multi-animal models"
    other = "Other relevant models"
    papers = [
        Paper(
            name="POYO", section=lm, listed_as="arxiv", list_venue="NeurIPS 2023",
            title="A Unified, Scalable Framework for Neural Population Decoding",
            abstract=("Illustrative abstract written for the fake API: a single transformer "
                      "is trained on spikes from many sessions and animals, tokenising each "
                      "spike, and adapts to new sessions with few labels."),
            authors=["Mehdi Azabou", "Vinam Arora", "Venkataramana Ganesh", "Ximeng Mao",
                     "Santosh Nachimuthu", "Michael J. Mendelson", "Blake Richards",
                     "Matthew G. Perich", "Guillaume Lajoie", "Eva L. Dyer"],
            year=2023, published=d(2023, 10, 24), venue="NeurIPS 2023",
            arxiv="2310.16046", arxiv_version=1, comment="Accepted at NeurIPS 2023",
            categories=["cs.LG", "q-bio.NC"],
            neurips=(2023, "8ca113d122584f12a6727341aaf58887"),
            dblp="conf/nips/AzabouAGMNMRPLD23", citation_count=112,
            influential_citation_count=21,
        ),
        Paper(
            name="POYO+", section=lm, listed_as="openreview", list_venue="ICLR 2025",
            title=("Multi-session, multi-task neural decoding from distinct cell-types and "
                   "brain regions"),
            abstract=("Illustrative abstract: a multi-task decoder pretrained on calcium "
                      "imaging from many cell types and areas of the mouse visual cortex."),
            authors=["Mehdi Azabou", "Krystal Xuejing Pan", "Vinam Arora", "Ian Jarratt Knight",
                     "Eva L Dyer", "Blake Aaron Richards"],
            year=2025, published=d(2024, 10, 4), venue="ICLR 2025",
            openreview="IuU0wcO0mo", openreview_venueid="ICLR.cc/2025/Conference",
            openreview_decision="Spotlight", dblp="conf/iclr/AzabouPAKDR25",
            citation_count=14, influential_citation_count=3, openalex_known=False,
        ),
        Paper(
            name="NDT2", section=lm, listed_as="neurips_year", list_venue="NeurIPS 2023",
            repo="joel99/context_general_bci",
            title=("Neural Data Transformer 2: Multi-context Pretraining for Neural Spiking "
                   "Activity"),
            abstract=("Illustrative abstract: pretraining a spatiotemporal transformer across "
                      "sessions, subjects and tasks improves intracortical decoding."),
            authors=["Joel Ye", "Jennifer Collinger", "Leila Wehbe", "Robert Gaunt"],
            year=2023, published=d(2023, 9, 26), venue="NeurIPS 2023",
            neurips=(2023, "fe51de4e7baf52e743b679e3bdba7905"),
            dblp="conf/nips/YeCWG23", citation_count=58, influential_citation_count=9,
            openalex_known=False,
        ),
        Paper(
            name="MtM", section=lm, listed_as="openreview", list_venue="NeurIPS 2024",
            title=('Towards a "universal translator" for neural dynamics at single-cell, '
                   "single-spike resolution"),
            abstract=("Illustrative abstract: a multi-task-masking approach pretrains one model "
                      "on many brain regions of the IBL repeated-site dataset."),
            authors=["Yizi Zhang", "Yanchen Wang", "Donato Jiménez-Benetó", "Zixuan Wang",
                     "Mehdi Azabou", "Blake Richards", "Renee Tung", "Olivier Winter",
                     "Eva Dyer", "Liam Paninski", "Cole Hurwitz"],
            year=2024, published=d(2024, 7, 19), venue="NeurIPS 2024",
            openreview="CBBtMnlTGq", openreview_venueid="NeurIPS.cc/2024/Conference",
            openreview_decision="Poster",
            neurips=(2024, "934eb45b99eff8f16b5cb8e4d3cb5641"),
            dblp="conf/nips/ZhangWJWARTWDPH24", citation_count=27,
            influential_citation_count=4, openalex_known=False,
        ),
        Paper(
            name="NDT3", section=lm, listed_as="biorxiv", list_venue="Preprint, 2025",
            repo="joel99/ndt3",
            title="A Generalist Intracortical Motor Decoder",
            abstract=("Illustrative abstract: a decoder pretrained on thousands of hours of "
                      "intracortical recordings from monkeys and humans, studied at scale."),
            authors=["Joel Ye", "Fabio Rizzoglio", "Adam Smoulder", "Xuan Ma", "Lee E. Miller",
                     "Aaron Batista", "Robert Gaunt", "Leila Wehbe"],
            year=2025, published=d(2025, 2, 4), venue="bioRxiv",
            biorxiv="10.1101/2025.02.02.634313", biorxiv_versions=2,
            citation_count=9, influential_citation_count=1,
        ),
        Paper(
            name="Multi-X DDM", section=lm, listed_as="openreview", list_venue="Preprint, 2025",
            title=("One Model to Train Them All: A Unified Diffusion Framework for "
                   "Multi-Context Neural Population Forecasting"),
            abstract=("Illustrative abstract: a single diffusion model forecasts population "
                      "activity across sessions, tasks and species."),
            authors=["Ada Okafor", "Hiroshi Tanaka", "Chiara Rossi"],
            year=2025, published=d(2025, 9, 19), venue="",
            openreview="R9feGbYRG7", openreview_venueid="ICLR.cc/2026/Conference/Submission",
            citation_count=1, openalex_known=False,
        ),
        Paper(
            name="Wang et al.", section=lm, listed_as="biorxiv", list_venue="Preprint, 2023",
            title="Towards a Foundation Model of the Mouse Visual Cortex",
            journal_title=("Foundation model of neural activity predicts response to new "
                           "stimulus types"),
            abstract=("Illustrative abstract: a model trained on large-scale recordings of "
                      "mouse visual cortex generalises to new stimulus domains and animals."),
            authors=["Eric Y. Wang", "Paul G. Fahey", "Zhuokun Ding", "Stelios Papadopoulos",
                     "Kayla Ponder", "Marissa A. Weis", "Andersen Chang", "Taliah Muhammad",
                     "Andreas S. Tolias"],
            year=2023, published=d(2023, 3, 24), venue="bioRxiv",
            biorxiv="10.1101/2023.03.21.533548", biorxiv_versions=3,
            biorxiv_published_doi="10.1038/s41586-025-08829-y", journal="Nature",
            journal_published=d(2025, 4, 9), volume="640", issue="8058", pages="470-477",
            citation_count=96, influential_citation_count=8,
        ),
        Paper(
            name="CEBRA", section=lm, listed_as="doi", list_venue="Nature 2023",
            repo=None,
            title="Learnable latent embeddings for joint behavioural and neural analysis",
            abstract=("Illustrative abstract: contrastive learning jointly embeds behavioural "
                      "and neural data into consistent, high-performance latent spaces. Code is "
                      "available at https://github.com/AdaptiveMotorControlLab/CEBRA."),
            authors=["Steffen Schneider", "Jin Hwa Lee", "Mackenzie Weygandt Mathis"],
            year=2023, published=d(2023, 5, 3), venue="Nature",
            doi="10.1038/s41586-023-06031-6", journal="Nature", volume="617", issue="7960",
            pages="360-368", code_url="https://github.com/AdaptiveMotorControlLab/CEBRA",
            citation_count=480, influential_citation_count=40,
        ),
        Paper(
            name="Jiang et al.", section=lm, listed_as="biorxiv", list_venue="Preprint, 2025",
            title=("Data Heterogeneity Limits the Scaling Effect of Pretraining Neural Data "
                   "Transformers"),
            abstract=("Illustrative abstract: scaling pretraining data helps less than "
                      "expected when sessions are heterogeneous; session selection matters."),
            authors=["Linxing Preston Jiang", "Shirui Chen", "Emmanuel Tanumihardja",
                     "Xiaochuang Han", "Weijia Shi", "Eric Shea-Brown", "Rajesh P. N. Rao"],
            year=2025, published=d(2025, 5, 15), venue="bioRxiv",
            biorxiv="10.1101/2025.05.12.653551", citation_count=2,
        ),
        Paper(
            name="Neuroformer", section=other, listed_as="arxiv", list_venue="ICLR 2024",
            title=("Neuroformer: Multimodal and Multitask Generative Pretraining for Brain "
                   "Data"),
            abstract=("Illustrative abstract: a multimodal, multitask generative transformer "
                      "models visual-cortex spiking together with stimuli and behaviour."),
            authors=["Antonis Antoniades", "Yiyi Yu", "Joseph Canzano", "William Wang",
                     "Spencer LaVere Smith"],
            year=2023, published=d(2023, 10, 31), venue="ICLR 2024",
            arxiv="2311.00136", arxiv_version=4, comment="ICLR 2024",
            categories=["q-bio.NC", "cs.LG"], dblp="conf/iclr/AntoniadesYCWS24",
            citation_count=41, influential_citation_count=5,
        ),
        Paper(
            name="GNOCCHI", section=other, listed_as="arxiv", list_venue="Preprint 2024",
            title="Diffusion-Based Generation of Neural Activity from Disentangled Latent Codes",
            abstract=("Illustrative abstract: a conditional diffusion model over disentangled "
                      "latents generates realistic neural activity for unseen conditions."),
            authors=["Jonathan D. McCart", "Andrew R. Sedler", "Christopher Versteeg",
                     "Domenick Mifsud", "Mattia Rigotti-Thompson", "Chethan Pandarinath"],
            year=2024, published=d(2024, 7, 30), venue="arXiv",
            arxiv="2407.21195", comment="15 pages, 6 figures",
            categories=["q-bio.NC", "cs.LG"], citation_count=4,
        ),
        Paper(
            name="LDNS", section=other, listed_as="arxiv", list_venue="NeurIPS 2024",
            repo="mackelab/LDNS",
            title="Latent Diffusion for Neural Spiking Data",
            abstract=("Illustrative abstract: an autoencoder with structured state-space layers "
                      "maps spikes to smooth latents in which a diffusion model is trained."),
            authors=["Jaivardhan Kapoor", "Auguste Schulz", "Julius Vetter", "Felix Pei",
                     "Richard Gao", "Jakob H. Macke"],
            year=2024, published=d(2024, 7, 11), venue="NeurIPS 2024",
            arxiv="2407.08751", arxiv_version=2,
            comment="Accepted at NeurIPS 2024. Code: https://github.com/mackelab/LDNS",
            code_url="https://github.com/mackelab/LDNS",
            categories=["cs.LG", "q-bio.NC"], dblp="conf/nips/KapoorSVPGM24",
            citation_count=19, influential_citation_count=2,
        ),
        Paper(
            name="NDT1", section=other, listed_as="arxiv", list_venue="NBDT 2021",
            repo="snel-repo/neural-data-transformers",
            title=("Representation learning for neural population activity with Neural Data "
                   "Transformers"),
            abstract=("Illustrative abstract: a non-recurrent transformer infers latent "
                      "dynamics from population spiking far faster than recurrent models. "
                      "Code is available at https://github.com/snel-repo/neural-data-transformers."),
            authors=["Joel Ye", "Chethan Pandarinath"],
            year=2021, published=d(2021, 8, 2), venue="NBDT 2021",
            arxiv="2108.01210", arxiv_version=1,
            journal_ref="Neurons, Behavior, Data analysis, and Theory, 2021",
            code_url="https://github.com/snel-repo/neural-data-transformers",
            categories=["q-bio.NC", "cs.LG"], citation_count=95, influential_citation_count=17,
        ),
        Paper(
            name="PopT", section=other, listed_as="arxiv", list_venue="ICLR 2025",
            title=("Population Transformer: Learning Population-level Representations of "
                   "Neural Activity"),
            abstract=("Illustrative abstract: a self-supervised transformer aggregates "
                      "pretrained channel embeddings into population-level representations."),
            authors=["Geeling Chau", "Christopher Wang", "Sabera Talukder",
                     "Vighnesh Subramaniam", "Saraswati Soedarmadji", "Yisong Yue",
                     "Boris Katz", "Andrei Barbu"],
            year=2024, published=d(2024, 6, 5), venue="ICLR 2025",
            arxiv="2406.03044", arxiv_version=3, comment="ICLR 2025",
            categories=["cs.LG", "q-bio.NC"], dblp="conf/iclr/ChauWTSSYKB25",
            citation_count=12, influential_citation_count=2,
        ),
        Paper(
            name="FALCON", section="Benchmarks", listed_as="openreview", list_venue="",
            title="Few-shot Algorithms for Consistent Neural Decoding (FALCON) Benchmark",
            abstract=("Illustrative abstract: a benchmark of intracortical and EMG datasets for "
                      "decoders that must stay accurate across days with little new data."),
            authors=["Brianna M. Karpowicz", "Joel Ye", "Chaofei Fan", "Pablo Tostado-Marcos",
                     "Fabio Rizzoglio", "Chethan Pandarinath"],
            year=2024, published=d(2024, 6, 5), venue="NeurIPS 2024",
            openreview="FN02v4nD8y",
            openreview_venueid="NeurIPS.cc/2024/Datasets_and_Benchmarks_Track",
            openreview_decision="Poster",
            neurips=(2024, "8c2e1d2b9b3a4c5d6e7f8091a2b3c4d5"),
            neurips_track="Datasets_and_Benchmarks_Track",
            dblp="conf/nips/KarpowiczYFTRP24", citation_count=11,
            influential_citation_count=2, openalex_known=False,
        ),
    ]
    utc = UTC
    repos = [
        Repo("joel99/context_general_bci", id=601344211, stars=131, forks=22, open_issues=3,
             watchers=8, created_at=datetime(2023, 2, 1, 17, 4, 11, tzinfo=utc),
             pushed_at=datetime(2025, 3, 14, 20, 10, 2, tzinfo=utc), license="MIT",
             topics=["bci", "neuroscience", "transformers"],
             description="Neural Data Transformer 2: multi-context pretraining for BCIs",
             homepage="", language="Python"),
        Repo("joel99/ndt3", id=858127644, stars=64, forks=7, open_issues=2, watchers=5,
             created_at=datetime(2024, 9, 16, 14, 0, 3, tzinfo=utc),
             pushed_at=datetime(2025, 6, 2, 9, 30, 0, tzinfo=utc), license="MIT",
             topics=["bci", "foundation-models"],
             description="A generalist intracortical motor decoder",
             homepage="https://joel99.github.io/ndt3", language="Python"),
        Repo("mackelab/LDNS", id=811877231, stars=47, forks=6, open_issues=1, watchers=6,
             created_at=datetime(2024, 6, 7, 8, 15, 0, tzinfo=utc),
             pushed_at=datetime(2024, 12, 1, 11, 2, 33, tzinfo=utc), license="MIT",
             topics=["diffusion-models", "neuroscience"],
             description="Latent Diffusion for Neural Spiking data (NeurIPS 2024)",
             homepage=None, language="Jupyter Notebook"),
        Repo("snel-repo/neural-data-transformers", id=318213301, stars=150, forks=33,
             open_issues=4, watchers=9, created_at=datetime(2020, 12, 3, 19, 5, 0, tzinfo=utc),
             pushed_at=datetime(2023, 5, 9, 16, 44, 10, tzinfo=utc), license="Apache-2.0",
             topics=["neuroscience", "transformers"], archived=True,
             description="Neural Data Transformers (NDT1)", homepage=None, language="Python",
             renamed_to="snel-repo/ndt1-legacy"),
        Repo("AdaptiveMotorControlLab/CEBRA", id=470712203, stars=1290, forks=111,
             open_issues=41, watchers=27, created_at=datetime(2022, 3, 16, 18, 2, 0, tzinfo=utc),
             pushed_at=datetime(2025, 7, 1, 12, 0, 0, tzinfo=utc), license="NOASSERTION",
             topics=["neuroscience", "contrastive-learning", "pytorch"],
             description="Learnable latent embeddings for joint behavioral and neural analysis",
             homepage="https://cebra.ai", language="Jupyter Notebook"),
        Repo("mazabou/awesome-neurofm", id=906211877, stars=180, forks=12, open_issues=0,
             watchers=7, created_at=datetime(2024, 12, 20, 10, 0, 0, tzinfo=utc),
             pushed_at=datetime(2025, 6, 20, 10, 0, 0, tzinfo=utc), license=None,
             topics=["awesome-list", "neuroscience"],
             description="A curated list of neuro-foundation models", homepage=None,
             language=None),
    ]
    world = World(papers, repos, title="Awesome Neuro-Foundation Models")
    text = _neurofm_text() or world.to_markdown()
    world.files[("mazabou/awesome-neurofm", "README.md")] = text
    return world
