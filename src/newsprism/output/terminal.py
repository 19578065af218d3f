"""What the reading commands print: stories, one story, storylines and a storyline's timeline, and
what a search found (articles, quotes, entities), as Rich tables and lines. Text from the input is
printed as it is (``shown``): never read as markup, and never acting on the terminal."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from newsprism.corpus.search import Hit, QuoteFound
from newsprism.records import CorpusView, Story, Storyline, StorylineOverview, StorylineTimeline
from newsprism.store.rows import EntitySummary

# Control characters (ESC, BEL, CR, ...) act on the terminal, and the bidirectional overrides reorder
# what it shows: in text from the input they are shown as their escapes.
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def shown(value: object) -> str:
    """``value`` (text from the input, or a message naming some: a title, a path, a URL) as markup
    that prints it as it is: Rich reads no tag in it, and the terminal gets no control character."""
    text = CONTROLS.sub(lambda m: m[0].encode("unicode_escape").decode("ascii"), str(value))
    return escape(text)


def terminal() -> Console:
    """The console of a command's output (made when it runs: Rich reads the terminal's width then)."""
    return Console(emoji=False)


def print_stories(stories: Sequence[Story], storylines: Sequence[Storyline]) -> None:
    line_number = {line.id: i + 1 for i, line in enumerate(storylines)}
    table = Table(title=f"{len(stories)} stories in {len(storylines)} storylines", show_lines=False)
    for column, justify in (
        ("storyline", "right"),
        ("story", "left"),
        ("title", "left"),
        ("articles", "right"),
        ("outlets", "left"),
        ("dates", "left"),
    ):
        table.add_column(column, justify=justify)
    for s in sorted(stories, key=lambda s: (line_number[s.storyline], s.first or "", s.id)):
        table.add_row(
            str(line_number[s.storyline]),
            shown(s.id),
            shown(s.title or "(untitled)"),
            str(len(s.articles)),
            shown(", ".join(s.outlets)),
            shown(_span(s.first, s.last)),
        )
    terminal().print(table)


def print_storylines(overviews: Sequence[StorylineOverview]) -> None:
    table = Table(title=f"{len(overviews)} storylines", show_lines=True)
    for column, justify in (
        ("storyline", "left"),
        ("title", "left"),
        ("dates", "left"),
        ("stories", "right"),
        ("articles", "right"),
        ("top actors", "left"),
        ("outlets", "left"),
    ):
        table.add_column(column, justify=justify)
    for line in overviews:
        table.add_row(
            shown(line.id),
            shown(line.title or "(untitled)"),
            shown(_span(line.first, line.last)),
            str(len(line.stories)),
            str(line.articles),
            shown(", ".join(line.actors)),
            shown(", ".join(line.outlets)),
        )
    terminal().print(table)


def print_story(story: Story, view: CorpusView, facts: int) -> None:
    """A story's summary, timeline, and which outlet carries which of its ``facts`` most carried."""
    outlet = _outlets(view)
    out = terminal()
    out.rule(shown(story.title or "(untitled)"))
    out.print(
        shown(
            f"{len(story.articles)} articles from {', '.join(story.outlets) or '?'}; "
            f"{story.first or '?'} – {story.last or '?'}; storyline {story.storyline}"
        ),
        highlight=False,
    )
    out.print("\n[bold]Summary[/bold]")
    for sentence in story.summary:
        cited = ", ".join(sorted({outlet[a] for a in sentence.articles}))
        out.print(f"• {shown(sentence.text)} [dim]({shown(cited)})[/dim]", highlight=False)
    out.print("\n[bold]Timeline[/bold]")
    for entry in view.timeline:
        cited = ", ".join(sorted({outlet[a] for a in entry.articles}))
        out.print(f"{shown(entry.date)}  {shown(entry.text)} [dim]({shown(cited)})[/dim]", highlight=False)
    outlets = sorted({o for f in story.facts for o in f.outlets})
    table = Table(
        title=f"Coverage: the {min(facts, len(story.facts))} most carried of {len(story.facts)} facts"
    )
    table.add_column("fact")
    for name in outlets:
        table.add_column(shown(name), justify="center")
    for fact in story.facts[:facts]:
        text = fact.text if len(fact.text) <= 90 else fact.text[:89] + "…"
        table.add_row(shown(text), *("●" if name in fact.outlets else "" for name in outlets))
    out.print(table)


def print_timeline(timeline: StorylineTimeline, view: CorpusView, dates: int | None) -> None:
    """A storyline's ``dates`` most important days (its ``shown`` when None), in date order."""
    chosen = timeline.top(dates)
    outlet = _outlets(view)
    out = terminal()
    out.rule(shown(f"storyline {timeline.storyline}"))
    out.print(
        shown(f"the {len(chosen)} most important of {len(timeline.entries)} dated days, in date order"),
        highlight=False,
    )
    for entry in chosen:
        cited = ", ".join(sorted({outlet[a] for a in entry.articles}))
        count = f"{len(entry.articles)} article{'' if len(entry.articles) == 1 else 's'}"
        out.print(
            f"{shown(entry.date)}  [dim]#{entry.rank}[/dim]  {shown(entry.text)} "
            f"[dim]({count}: {shown(cited)})[/dim]",
            highlight=False,
        )


def print_article_hits(hits: Sequence[Hit]) -> None:
    out = terminal()
    for rank, hit in enumerate(hits, 1):
        a = hit.article
        where = "title" if hit.paragraph < 0 else f"¶{hit.paragraph + 1}"
        out.print(
            f"{rank:>3}. [bold]{shown(a.title or '(untitled)')}[/bold] [dim]{shown(a.id)} · "
            f"{shown(a.outlet or a.source)} · {shown(a.published or 'undated')} · {where}[/dim]",
            highlight=False,
        )
        out.print(f"     {shown(hit.snippet)}", highlight=False, soft_wrap=True)


def print_quote_hits(found: Sequence[QuoteFound]) -> None:
    out = terminal()
    for rank, (quote, a) in enumerate(found, 1):
        speaker = quote.speaker.name or quote.speaker.text or "(unattributed)"
        out.print(
            f"{rank:>3}. [bold]{shown(speaker)}[/bold] [dim]{shown(quote.id)} · "
            f"{shown(a.outlet or a.source)} · {shown(a.published or 'undated')}[/dim]",
            highlight=False,
        )
        out.print(f"     “{shown(quote.text)}”", highlight=False, soft_wrap=True)


def print_entity_hits(entities: Sequence[EntitySummary]) -> None:
    out = terminal()
    for rank, e in enumerate(entities, 1):
        out.print(
            f"{rank:>3}. [bold]{shown(e.name)}[/bold] [dim]{shown(e.id)} · {shown(e.type)} · "
            f"{e.mentions} mention(s)[/dim]",
            highlight=False,
        )


def _outlets(view: CorpusView) -> Mapping[str, str]:
    return {a.id: a.outlet or a.source for a in view.articles}


def _span(first: str | None, last: str | None) -> str:
    if first == last:
        return first or "undated"
    return f"{first or '?'} – {last or '?'}"
