from newsprism.article.nlp import load_nlp


def test_a_paragraph_break_always_starts_a_sentence():
    body = ("Ruben Castell, the union's general secretary, was quoted by Fictional Wire as saying that "
            'members "have been warning about night crossings for two years."\n\n'
            "Harbour authority chief executive Helena Brask described the authority's offer of a six-knot "
            'speed limit as "a serious proposal made in good faith" and said the talks would continue.')
    doc = load_nlp()(body)
    second = next(t for t in doc if t.text == "Harbour")
    assert second.is_sent_start
    assert next(t for t in doc if t.text == "described").head.text != "quoted"
