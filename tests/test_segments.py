from newsprism.article import segments as segments_module
from newsprism.article.quote_marks import Marked, double_marks, paragraph_starts, scan_text
from newsprism.article.segments import CONTEXT_CHARS, SEGMENT_CHARS, Segment, segments, within

SENTENCE = "The river rose three metres overnight and the roads to the north were closed. "


def _double(body: str) -> list[Marked]:
    return double_marks(scan_text(body), paragraph_starts(body))


def _paragraphs(count: int, sentences: int = 6) -> list[str]:
    return [f"{k}. " + SENTENCE * sentences for k in range(count)]


def test_a_body_within_the_bound_is_one_segment_the_whole_body():
    body = "\n\n".join(_paragraphs(3))
    assert segments(body, _double(body)) == [Segment(0, 0, len(body))]


def test_a_long_body_is_cut_between_paragraphs_with_context_before_each_segment():
    body = "\n\n".join(_paragraphs(400))
    assert len(body) > 3 * SEGMENT_CHARS
    found = segments(body, _double(body))
    starts = set(paragraph_starts(body))
    assert found[0].start == found[0].own == 0 and found[-1].end == len(body)
    for before, after in zip(found, found[1:], strict=False):
        assert after.own == before.end + 2 and after.own in starts  # the separator between them is no one's
        assert after.start in starts and 0 < after.own - after.start <= CONTEXT_CHARS
    assert all(s.end - s.own <= SEGMENT_CHARS for s in found)
    # Each segment takes as many paragraphs as fit.
    assert all(s.end - s.own > SEGMENT_CHARS - len(_paragraphs(1)[0]) - 4 for s in found[:-1])


def test_no_cut_falls_inside_a_quote_running_over_paragraphs(monkeypatch):
    # A quote left open at the end of one paragraph goes on in the next ones, each opening again.
    quote = ["“We have lost homes before, and we have rebuilt them every time,",
             "“We will do it again, house by house,", "“This time will be no different,” she said."]
    paragraphs = [*_paragraphs(3), *quote, *_paragraphs(3)]
    body = "\n\n".join(paragraphs)
    double = _double(body)
    (marked,) = [m for m in double if "house by house" in body[m.start:m.end]]
    assert "This time" in body[marked.start:marked.end]
    # The bound would cut before the quote's last paragraph: the cut goes before the quote instead.
    last = body.index(quote[-1])
    monkeypatch.setattr(segments_module, "SEGMENT_CHARS", last - 2)
    first = segments(body, double)[0]
    assert first.end + 2 == marked.open_at == body.index(quote[0])
    monkeypatch.setattr(segments_module, "SEGMENT_CHARS", len(body) // 3)
    assert not any(marked.open_at < s.own <= marked.close_at for s in segments(body, double))


def test_a_paragraph_longer_than_a_segment_is_cut_after_a_sentence_outside_quotes():
    quoted = "“" + SENTENCE * 30 + "”"
    body = (SENTENCE * 600 + quoted + " she said. ") * 3
    double = _double(body)
    found = segments(body, double)
    assert len(found) > 2
    for s in found[1:]:
        assert body[:s.own].endswith(". ") and not any(m.open_at < s.own <= m.end for m in double)
        assert s.own - s.start <= CONTEXT_CHARS and body[:s.start].endswith(". ")
    assert all(s.end - s.own <= SEGMENT_CHARS for s in found)


def test_a_segment_holds_the_quotes_it_holds_whole_in_its_own_offsets():
    body = "A “first” and a “second” quote, then a “third."
    double = _double(body)
    assert [body[m.start:m.end] for m in double] == ["first", "second", "third."]
    inner = within(double, Segment(start=10, own=10, end=30))
    assert [body[10:30][m.start:m.end] for m in inner] == ["second"]
    assert [(m.open_at, m.close_at) for m in inner] == [(double[1].open_at - 10, double[1].close_at - 10)]
    assert within(double, Segment(0, 0, len(body))) == double
