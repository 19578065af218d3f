"""What a reader sees: the pages of the HTML report and of the web app, built from a corpus view.

``story_page`` and ``article_page`` gather what one story or one article shows (cited summary,
timeline, outlet × fact coverage, quotes grouped by speaker with their framing, reuse links, the
article text with its entities and quotes highlighted and its removed lines with their reasons);
``render_report`` puts every story of a view into one self-contained HTML file, and the web app
renders the same templates over a live store. Charts are SVG drawn by matplotlib, inlined.

Scraped text is hostile: templates escape everything (Jinja2 autoescape), only ``http(s)`` URLs
become links, and the report carries a Content-Security-Policy that lets no script run but its own.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import jinja2
from markupsafe import Markup, escape
from matplotlib import rc_context
from matplotlib.figure import Figure

from newsprism.corpus.compare import cue_verb, outlet_name, stance
from newsprism.records import (
    Annotations,
    Article,
    CorpusView,
    Fact,
    Quote,
    RankedEntry,
    ReuseLink,
    Story,
    Storyline,
    StorylineTimeline,
    TimelineEntry,
)

# How many facts the coverage heatmap shows (the most carried first), and the list below it with
# them; a story of hundreds of articles has hundreds of facts, which its JSON holds in full.
COVERAGE_FACTS = 25
SHOWN_FACTS = 100
# Facts only one outlet carries, shown per outlet (in the story's order: most carried, most central).
SHOWN_FACTS_PER_OUTLET = 12
# A fact most outlets carry: an outlet that leaves it out is said to omit it.
OMITTED_SHARE = 0.5
CHART_LABEL_CHARS = 60
# A chart shows at most this many developments, and this many outlets (those with most articles).
CHART_ROWS = 25
# A story of hundreds of articles quotes hundreds of people: the page shows the most quoted speakers
# and their most carried quotes, and counts the rest.
SHOWN_SPEAKERS = 30
SHOWN_QUOTES_PER_SPEAKER = 8
SHOWN_FRAMING_ROWS = 60
SHOWN_REUSE_LINKS = 60

TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("newsprism.output", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def citations(ids: Sequence[str], outlet_of: Mapping[str, str]) -> list[tuple[str, str, int]]:
    """Cited articles by outlet, in order of first citation: (outlet, its first article, how many)."""
    first: dict[str, str] = {}
    count: Counter[str] = Counter()
    for article in ids:
        outlet = outlet_of.get(article, article)
        first.setdefault(outlet, article)
        count[outlet] += 1
    return [(outlet, article, count[outlet]) for outlet, article in first.items()]


TEMPLATES.globals["citations"] = citations
TEMPLATES.globals["shown_per_outlet"] = SHOWN_FACTS_PER_OUTLET


@dataclass(frozen=True)
class Carrier:
    """One outlet's telling of a quote: which article, with which reporting verb."""

    quote: Quote
    outlet: str
    verb: str | None
    stance: str


@dataclass(frozen=True)
class QuoteGroup:
    """The same words (a quote group) as carried by one or more outlets."""

    text: str
    kind: str
    carriers: tuple[Carrier, ...]
    outlets: tuple[str, ...]


@dataclass(frozen=True)
class SpeakerQuotes:
    speaker: str
    entity: str | None
    groups: tuple[QuoteGroup, ...]  # the most carried first, at most SHOWN_QUOTES_PER_SPEAKER
    quotes: int  # all this speaker's quotes in the story
    more: int  # groups not shown


@dataclass(frozen=True)
class StoryPage:
    story: Story
    articles: tuple[Article, ...]
    outlet_of: dict[str, str]
    outlets: tuple[str, ...]
    timeline: tuple[TimelineEntry, ...]
    timeline_chart: Markup | None  # None: not drawn into the page (the web app serves it apart)
    coverage_chart: Markup | None
    only_in: dict[str, tuple[Fact, ...]]
    omitted_by: dict[str, tuple[Fact, ...]]
    speakers: tuple[SpeakerQuotes, ...]
    more_speakers: int
    framing: tuple[tuple[str, str, dict], ...]  # (outlet, speaker, row of compare.framing), most quoted
    more_framing: int
    reuse: tuple[ReuseLink, ...]
    more_reuse: int
    storyline: Storyline | None = None

    @property
    def shown_facts(self) -> tuple[Fact, ...]:
        return self.story.facts[:COVERAGE_FACTS]

    @property
    def more_facts(self) -> tuple[Fact, ...]:
        return self.story.facts[COVERAGE_FACTS:SHOWN_FACTS]

    @property
    def unshown_facts(self) -> int:
        return max(len(self.story.facts) - SHOWN_FACTS, 0)


@dataclass(frozen=True)
class ArticlePage:
    article: Article
    story: str | None
    body: Markup
    quotes: tuple[tuple[Quote, str], ...]  # each quote with its speaker's name
    entities: tuple[tuple[str, str, int], ...]  # name, type, mentions in this article
    times: tuple[tuple[str, str], ...]
    link: str | None
    annotated: bool = True
    error: str | None = None


@dataclass(frozen=True)
class StorylinePage:
    storyline: Storyline
    stories: tuple[Story, ...]
    timeline: StorylineTimeline
    entries: tuple[RankedEntry, ...]  # the days shown, best ranked, in date order
    outlet_of: dict[str, str]
    chart: Markup | None  # None: not drawn into the page (the web app serves it apart)

    @property
    def span(self) -> tuple[str | None, str | None]:
        days = [d for s in self.stories for d in (s.first, s.last) if d]
        return min(days, default=None), max(days, default=None)


def storyline_page(
    line: Storyline, view: CorpusView, *, dates: int | None = None, charts: bool = True
) -> StorylinePage:
    """A storyline's stories and its ``dates`` most important days (its ``shown`` by default), from
    a view that holds its articles."""
    stories = tuple(s for s in view.stories if s.storyline == line.id)
    members = {a for s in stories for a in s.articles}
    articles = tuple(a for a in view.articles if a.id in members)
    timeline = next(
        (t for t in view.storyline_timelines if t.storyline == line.id), StorylineTimeline(line.id, (), 0)
    )
    entries = timeline.top(dates)
    return StorylinePage(
        storyline=line,
        stories=stories,
        timeline=timeline,
        entries=entries,
        outlet_of={a.id: outlet_name(a) for a in articles},
        chart=timeline_chart(entries, articles, salt=line.id) if charts else None,
    )


def story_page(story: Story, view: CorpusView, *, charts: bool = True) -> StoryPage:
    """Everything one story shows, from a view that holds (at least) its articles; ``charts=False``
    leaves the charts out (drawing them costs more than the rest of the page)."""
    members = set(story.articles)
    articles = tuple(a for a in view.articles if a.id in members)
    outlet_of = {a.id: outlet_name(a) for a in articles}
    outlets = tuple(sorted(set(outlet_of.values())))
    timeline = tuple(t for t in view.timeline if t.story == story.id)
    speakers = quotes_by_speaker([q for q in view.quotes if q.article in members], outlet_of, _names(view))
    framing = sorted(
        ((outlet, speaker, row) for outlet, rows in story.framing.items() for speaker, row in rows.items()),
        key=lambda f: (-f[2]["quotes"], f[0], f[1]),
    )
    # Copy first (duplicates, then passages), then shared quotes.
    reuse = sorted(
        (link for link in view.reuse if link.source in members or link.target in members),
        key=lambda link: ("duplicate", "passage", "quote").index(link.kind),
    )
    return StoryPage(
        story=story,
        articles=articles,
        outlet_of=outlet_of,
        outlets=outlets,
        timeline=timeline,
        timeline_chart=timeline_chart(timeline, articles, salt=story.id) if charts else None,
        coverage_chart=coverage_chart(story.facts, outlets, salt=story.id) if charts else None,
        only_in=_only_in(story.facts, outlets),
        omitted_by=_omitted_by(story.facts, outlets),
        speakers=speakers[:SHOWN_SPEAKERS],
        more_speakers=max(len(speakers) - SHOWN_SPEAKERS, 0),
        framing=framing[:SHOWN_FRAMING_ROWS],
        more_framing=max(len(framing) - SHOWN_FRAMING_ROWS, 0),
        reuse=reuse[:SHOWN_REUSE_LINKS],
        more_reuse=max(len(reuse) - SHOWN_REUSE_LINKS, 0),
        storyline=next((line for line in view.storylines if line.id == story.storyline), None),
    )


def article_page(article: Article, view: CorpusView) -> ArticlePage:
    annotations = view.annotations.get(article.id) or Annotations(article.id)
    names = _names(view)
    entity_at = {
        (m.start, m.end): (e.name, e.type)
        for e in view.entities
        for m in e.mentions
        if m.article == article.id
    }
    counted = Counter(entity_at.values())
    quotes = tuple(q for q in view.quotes if q.article == article.id)
    return ArticlePage(
        article=article,
        story=next((s.id for s in view.stories if article.id in s.articles), None),
        body=highlight(article, annotations, entity_at, quotes),
        quotes=tuple((q, speaker_name(q, names)) for q in quotes),
        entities=tuple((name, kind, n) for (name, kind), n in counted.most_common()),
        times=tuple((t.text, t.value) for t in annotations.times),
        link=safe_url(article.url),
        annotated=annotations.error is None,
        error=annotations.error,
    )


def render_report(view: CorpusView, *, title: str = "newsprism report", generated: str | None = None) -> str:
    """The whole view as one HTML file: no network, no script but the report's own."""
    stories = [story_page(s, view) for s in view.stories]
    lines = [storyline_page(line, view) for line in view.storylines]
    in_story = {a for s in view.stories for a in s.articles}
    script = TEMPLATES.get_template("report.js").render()
    return TEMPLATES.get_template("report.html").render(
        title=title,
        generated=generated or dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        stories=stories,
        storylines=[p for p in lines if p.entries],
        articles=[article_page(a, view) for a in view.articles],
        loose=[a for a in view.articles if a.id not in in_story],
        counts={"articles": len(view.articles), "outlets": len({outlet_name(a) for a in view.articles})},
        script=Markup(script),
        csp=report_policy(script),
    )


def report_policy(script: str) -> str:
    """A Content-Security-Policy that lets only this exact inline script run, and loads nothing."""
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    return (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        f"script-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"
    )


def quotes_by_speaker(
    quotes: Iterable[Quote], outlet_of: Mapping[str, str], names: Mapping[str, str]
) -> tuple[SpeakerQuotes, ...]:
    """Quotes grouped by speaker (most quoted first), the same words carried by several outlets
    shown once with every carrier."""
    by_speaker: dict[tuple[str, str | None], dict[str, list[Quote]]] = defaultdict(lambda: defaultdict(list))
    for q in quotes:
        by_speaker[(speaker_name(q, names), q.speaker.entity)][q.group or q.id].append(q)
    found = []
    for (speaker, entity), groups in by_speaker.items():
        shown = []
        for members in groups.values():
            carriers = []
            for q in members:
                verb = cue_verb(q.cue)
                carriers.append(
                    Carrier(q, outlet_of.get(q.article, q.article), verb, stance(verb) if verb else "")
                )
            longest = max(members, key=lambda q: len(q.text))
            outlets = tuple(sorted({c.outlet for c in carriers}))
            shown.append(QuoteGroup(longest.text, longest.kind, tuple(carriers), outlets))
        shown.sort(key=lambda g: (-len(g.carriers), g.carriers[0].quote.article, g.carriers[0].quote.start))
        quoted = sum(len(g.carriers) for g in shown)
        kept = tuple(shown[:SHOWN_QUOTES_PER_SPEAKER])
        found.append(SpeakerQuotes(speaker, entity, kept, quoted, len(shown) - len(kept)))
    found.sort(key=lambda s: (s.speaker == UNATTRIBUTED, -s.quotes, s.speaker))
    return tuple(found)


UNATTRIBUTED = "(unattributed)"


def speaker_name(quote: Quote, names: Mapping[str, str]) -> str:
    if quote.speaker.entity and quote.speaker.entity in names:
        return names[quote.speaker.entity]
    return quote.speaker.name or quote.speaker.text or UNATTRIBUTED


def safe_url(url: str | None) -> str | None:
    """Only web addresses become links: a ``javascript:`` or ``data:`` URL in scraped input never does."""
    if url and re.match(r"https?://[^\s\"'<>]+$", url.strip(), re.IGNORECASE):
        return url.strip()
    return None


def highlight(
    article: Article,
    annotations: Annotations,
    entity_at: Mapping[tuple[int, int], tuple[str, str]],
    quotes: Sequence[Quote],
) -> Markup:
    """The clean body as escaped HTML, entity mentions marked with their type (as displaCy shows
    them) and quotes underlined with their speaker; spans cut at every boundary so overlaps nest."""
    body = article.body
    mentions = [(m.start, m.end, m.label, entity_at.get((m.start, m.end))) for m in annotations.mentions]
    cuts = sorted(
        {0, len(body), *(s for s, *_ in mentions), *(e for _, e, *_ in mentions)}
        | {q.start for q in quotes}
        | {q.end for q in quotes}
    )
    cuts = [c for c in cuts if 0 <= c <= len(body)]
    pieces = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        text = escape(body[start:end])
        for m_start, m_end, label, entity in mentions:
            if m_start <= start and end <= m_end:
                tip = f"{entity[0]} ({entity[1]})" if entity else label
                tag = Markup('<span class="lbl">{}</span>').format(label) if end == m_end else ""
                text = Markup('<mark class="ent ent-{}" title="{}">{}{}</mark>').format(
                    re.sub(r"[^A-Z_]", "", label), tip, text, tag
                )
                break
        covering = [q for q in quotes if q.start <= start and end <= q.end]
        if covering:
            q = covering[0]
            tip = f"{q.kind} quote of {q.speaker.name or q.speaker.text or 'an unnamed speaker'}"
            text = Markup('<span class="quote q-{}" title="{}">{}</span>').format(q.kind, tip, text)
        pieces.append(text)
    return Markup("").join(pieces)


def timeline_chart(
    entries: Sequence[TimelineEntry | RankedEntry], articles: Sequence[Article], *, salt: str
) -> Markup:
    """A story or storyline in time: its dated developments (sized by how many articles tell them;
    the ``CHART_ROWS`` most told) above the publication days of its articles, one row per outlet."""
    published = [(a, _day(a.published)) for a in articles]
    published = [(a, d) for a, d in published if d]
    dated = [(e, _day(e.date)) for e in entries]
    # The most told developments, in time order; the table below the chart lists them all.
    dated = sorted(
        sorted(((e, d) for e, d in dated if d), key=lambda x: -len(x[0].articles))[:CHART_ROWS],
        key=lambda x: x[1],
    )
    if not published and not dated:
        return Markup("")
    by_outlet = Counter(outlet_name(a) for a, _ in published)
    outlets = sorted(o for o, _ in by_outlet.most_common(CHART_ROWS))
    with _chart_style(salt):
        figure = Figure(
            figsize=(8.5, 1.2 + 0.32 * (max(len(dated), 1) + max(len(outlets), 1))), layout="constrained"
        )
        top, bottom = figure.subplots(
            2, 1, sharex=True, height_ratios=[max(len(dated), 1), max(len(outlets), 1)]
        )
        days = [d for _, d in dated] + [d for _, d in published]
        first, last = min(days), max(days)
        # Whole days (dates take no fraction of one), at least one on each side.
        pad = dt.timedelta(days=max(1, round((last - first).days * 0.04)))
        for row, (entry, day) in enumerate(dated):
            top.scatter([day], [row], s=20 + 40 * math.sqrt(len(entry.articles)), color="#c0392b", zorder=3)
        # Each development reads as a row label, as in a Gantt chart: no label runs over another.
        top.set_yticks(range(len(dated)), [f"{e.date}  {_shorten(e.text)}" for e, _ in dated], fontsize=8)
        top.set_ylim(len(dated) - 0.5, -0.5)
        top.set_xlim(first - pad, last + pad)
        top.grid(axis="y", color="#eeeeee")
        top.set_title("Developments (dot size: articles telling it)", fontsize=9, loc="left")
        for row, outlet in enumerate(outlets):
            outlet_days = [d for a, d in published if outlet_name(a) == outlet]
            bottom.scatter(outlet_days, [row] * len(outlet_days), marker="|", s=180, color="#2c3e50")
        bottom.set_yticks(range(len(outlets)), outlets, fontsize=8)
        bottom.set_ylim(len(outlets) - 0.5, -0.5)
        bottom.set_title("Articles published, by outlet", fontsize=9, loc="left")
        bottom.xaxis_date()
        figure.autofmt_xdate(rotation=30)
        return _svg(figure, "timeline-chart")


def coverage_chart(facts: Sequence[Fact], outlets: Sequence[str], *, salt: str) -> Markup:
    """The outlet × fact heatmap: which outlet carries which of the most carried facts."""
    shown = list(facts[:COVERAGE_FACTS])
    if not shown or not outlets:
        return Markup("")
    matrix = [[1 if outlet in fact.outlets else 0 for outlet in outlets] for fact in shown]
    with _chart_style(salt):
        figure = Figure(figsize=(1.8 + 0.55 * len(outlets), 1.0 + 0.26 * len(shown)), layout="constrained")
        axes = figure.subplots()
        axes.imshow(matrix, cmap="Blues", vmin=0, vmax=1.25, aspect="auto")
        axes.set_xticks(
            range(len(outlets)), outlets, rotation=35, ha="left", rotation_mode="anchor", fontsize=8
        )
        axes.set_yticks(range(len(shown)), [f"F{i + 1}" for i in range(len(shown))], fontsize=8)
        axes.xaxis.tick_top()
        axes.set_xticks([x - 0.5 for x in range(1, len(outlets))], minor=True)
        axes.set_yticks([y - 0.5 for y in range(1, len(shown))], minor=True)
        axes.grid(which="minor", color="white", linewidth=1.5)
        axes.tick_params(which="minor", length=0)
        return _svg(figure, "coverage-chart")


def _svg(figure: Figure, css_class: str) -> Markup:
    out = io.StringIO()
    figure.savefig(out, format="svg")
    svg = out.getvalue()
    # The XML prologue and DOCTYPE do not belong inside an HTML document.
    svg = svg[svg.index("<svg") :]
    return Markup(svg.replace("<svg ", f'<svg class="{css_class}" role="img" ', 1))


def _chart_style(salt: str):
    # Text stays text (searchable, selectable); no mathtext parsing of scraped names with "$";
    # a per-chart salt keeps the SVG element ids of two charts on one page apart.
    return rc_context(
        {"svg.fonttype": "none", "text.parse_math": False, "svg.hashsalt": salt, "font.size": 8}
    )


def _day(value: str | None) -> dt.date | None:
    if not value or len(value) < 10:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= CHART_LABEL_CHARS else text[: CHART_LABEL_CHARS - 1] + "…"


def _names(view: CorpusView) -> dict[str, str]:
    return {e.id: e.name for e in view.entities}


def _only_in(facts: Sequence[Fact], outlets: Sequence[str]) -> dict[str, tuple[Fact, ...]]:
    if len(outlets) < 2:
        return {}
    found: dict[str, list[Fact]] = defaultdict(list)
    for fact in facts:
        if len(fact.outlets) == 1:
            found[fact.outlets[0]].append(fact)
    return {o: tuple(found[o]) for o in outlets if found[o]}


def _omitted_by(facts: Sequence[Fact], outlets: Sequence[str]) -> dict[str, tuple[Fact, ...]]:
    if len(outlets) < 3:
        return {}
    found: dict[str, list[Fact]] = defaultdict(list)
    for fact in facts:
        if len(fact.outlets) >= 2 and len(fact.outlets) >= OMITTED_SHARE * len(outlets):
            for outlet in outlets:
                if outlet not in fact.outlets:
                    found[outlet].append(fact)
    return {o: tuple(found[o]) for o in outlets if found[o]}
