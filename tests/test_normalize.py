from __future__ import annotations

import random

from auditor.normalize import normalize, normalize_phrase


def _quote(raw: str, norm, needle: str) -> str:
    i = norm.text.index(needle)
    a, b = norm.original_span(i, i + len(needle))
    return raw[a:b]


def test_traditional_with_pinyin_glosses_maps_back_to_the_original():
    raw = "2022年,,大涌鎮(zhèn)堅(jiān)持深入學(xué)習(xí)習(xí)近平法治思想"
    n = normalize(raw)
    assert n.text == "2022年,大涌镇坚持深入学习习近平法治思想"
    assert _quote(raw, n, "学习") == "學(xué)習"
    assert _quote(raw, n, "习近平法治思想") == "習(xí)近平法治思想"


def test_t2s_keeps_simplified_words_that_tw2sp_would_rewrite():
    assert normalize_phrase("规范程序文件") == "规范程序文件"
    assert normalize_phrase("程序") == "程序"


def test_width_quotes_spaces_and_doubled_punctuation():
    assert normalize_phrase("以“八五”普法规划为抓手") == "以八五普法规划为抓手"
    assert normalize_phrase("‘八五’ 普法") == "八五普法"
    assert normalize_phrase("（一）法 治政府　建设") == "(一)法治政府建设"
    assert normalize_phrase("一,、深入学习") == "一、深入学习"
    assert normalize_phrase("精神,,认真,。") == "精神,认真。"
    assert normalize_phrase("使用 Word 文档 APP 500 余人") == "使用Word文档APP 500余人"


def test_line_breaks_survive_and_crlf_folds():
    n = normalize("一、标题\r\n正文。\r\n")
    assert n.text == "一、标题\n正文。\n"
    assert _quote("一、标题\r\n正文。\r\n", n, "正文") == "正文"


def test_origin_is_monotonic_and_in_bounds_on_random_mixed_text():
    rng = random.Random(7)
    alphabet = list("法治政府建設習近平鎮(zhèn)“”‘’,,、。 　\n\r（）一二1aZ？！\u200b")
    for _ in range(300):
        raw = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        n = normalize(raw)
        assert len(n.origin) == len(n.text)
        assert list(n.origin) == sorted(n.origin)
        assert all(0 <= o < len(raw) for o in n.origin)
