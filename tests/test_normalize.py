from __future__ import annotations

import random

from auditor.normalize import furniture_text, normalize, normalize_phrase


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


# --- properties (hypothesis): any input, the map stays sound ----------------------------------------

from hypothesis import given, settings, strategies as st  # noqa: E402

# Report-like text: simplified and traditional characters, pinyin glosses, punctuation of both widths,
# spaces, line breaks, question marks and GBK symbols that trigger the mojibake repair, and anything else.
_PIECES = st.sampled_from(["法治", "政府", "建設", "習近平", "(zhèn)", "(xí)", "，", ",", ",,", "、", "。", "“", "”",
                           " ", "\u3000", "\n", "\r\n", "?", "?。ㄈ┩七M", "?,F", "一、", "（一）", "— 3 —",
                           "[bookmark: _GoBack]", "秘书之家—全网资源每日更新www.mishuzj.com", "审查", "薴"])
REPORTISH = st.lists(st.one_of(_PIECES, st.text(max_size=3)), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), REPORTISH))
def test_normalize_never_fails_and_its_map_points_inside_the_original_in_order(raw):
    n = normalize(raw)
    assert len(n.origin) == len(n.text)
    assert all(0 <= o < len(raw) for o in n.origin)
    assert all(a <= b for a, b in zip(n.origin, n.origin[1:]))   # never runs backwards


@settings(max_examples=300, deadline=None)
@given(REPORTISH, st.data())
def test_the_quote_cut_from_the_original_is_what_matched(raw, data):
    n = normalize(raw)
    if not n.text:
        return
    i = data.draw(st.integers(0, len(n.text) - 1))
    j = data.draw(st.integers(i + 1, min(len(n.text), i + 12)))
    a, b = n.original_span(i, j)
    assert a <= b and 0 <= a and b <= len(raw)
    quoted = raw[a:b]
    # every matched character came from inside the quote; the quote yields no other normalized text except
    # the rest of an original character cut at either end (NFKC: ㈠ → (一)); what it holds beyond that is
    # what normalization drops (glosses, quotes, spaces, furniture, doubled punctuation)
    assert all(a <= n.origin[k] < b for k in range(i, j))
    extra = [k for k in range(len(n.text)) if a <= n.origin[k] < b and not i <= k < j]
    assert all(n.origin[k] in (n.origin[i], n.origin[j - 1]) for k in extra)
    assert quoted[0] == raw[n.origin[i]]


def test_a_breadcrumb_line_is_furniture_even_when_it_starts_with_its_separator():
    """A site's navigation names 政务公开 as a menu, not as work done: the line is dropped, never quoted."""
    text = ("首页\n>政务公开 >政府信息公开 >县政府信息公开 >行政权力 >法治政府建设报告 >某县法治政府建设工作报告\n"
            "首页 >> 信息公开 >> 公示公告 >> 正文\n2020年，某县深入推进依法行政。\n")
    out = normalize(text)
    assert "政务公开" not in out.text and "公示公告" not in out.text and "深入推进依法行政" in out.text
    assert "2020年" in out.text.splitlines()[0]


def test_a_site_banner_naming_its_column_is_furniture_but_a_title_is_not():
    """北坪縣人民政府　政務公開 above the title is the site's name and menu column, not 政务公开 done."""
    text = ("北坪縣人民政府　政務公開\n\n北坪縣人民政府關於2023年度法治政府建設工作情況的報告\n"
            "某县人民政府 2023年法治政府建设年度报告\n全年主动公开政府信息120条。\n")
    out = normalize(text)
    assert out.text.lstrip().startswith("北坪县人民政府关于2023年度") and "政务公开" not in out.text
    assert "某县人民政府 2023年法治政府建设年度报告" in out.text or "某县人民政府2023年法治政府建设年度报告" in out.text


def test_a_department_banner_with_columns_and_a_long_site_name_breadcrumb_are_furniture():
    """A department's site banner (厅 + its columns) and a breadcrumb whose first crumb is the site's long name."""
    text = ("湖北省交通运输厅　政府信息公开　法治政府建设\n湖北省交通运输厅2025年法治政府建设年度报告\n"
            "東湖區人民政府 南門街道辦事處 > 政務公開 > 法定主動公開內容\n全年主动公开政府信息120条。\n")
    out = normalize(text)
    assert out.text.lstrip().startswith("湖北省交通运输厅2025年法治政府建设年度报告")
    assert "南门街道办事处" not in out.text and out.text.count("公开") == 1


def test_a_breadcrumb_run_into_the_page_text_is_dropped_and_the_text_kept():
    text = (">政务公开 >政府信息公开 >县政府信息公开 >行政权力 >法治政府建设报告 >某县法治政府建设工作报告 "
            "2020年，某县深入推进依法行政，全年主动公开政府信息120条。\n满意率>95%>90%>85%，逐年提高。\n")
    out = normalize(text)
    assert out.text.startswith("某县法治政府建设工作报告") and "政务公开 " not in out.text
    assert "满意率>95%>90%>85%" in out.text   # numbers: not a site's menu


def test_crumbs_inside_a_flattened_page_go_and_the_title_they_ran_into_stays():
    """A page copied without its line breaks: the crumbs ending in > and a site column run into the title go
    (政务公开, 法定主动公开内容 are the site's menu, not work done); the title and the text stay."""
    text = ("東湖區人民政府 南門街道辦事處 > 政務公開 > 法定主動公開內容南門街道2023年法治政府建設工作情況報告"
            "發佈日期：2024-01-19 責任部門 南門街道 公開形式 主動公開 2023年，南門街道深入推進依法行政。")
    out = normalize(text).text
    assert out.startswith("南门街道2023年法治政府建设工作情况报告") and "公开" not in out
    assert "深入推进依法行政" in out
    prose = normalize("局门户网站“法定主动公开内容”栏目动态更新行政执法等信息。满意度>90%。").text
    assert "法定主动公开内容栏目" in prose and "满意度>90%" in prose   # named in a sentence, numbers: kept


def test_a_flattened_pages_fields_go_and_the_publisher_is_kept_for_the_body():
    """A page copied without its line breaks: its fields (发布日期, 信息来源, 字号, 浏览次数, 今天是…) run into the
    title and the text; they go, and what the publisher field names stays readable as furniture."""
    raw = ("今天是:2021年3月29日 星期一 农历二月十七工作报告您所在的位置:政务公开 > 工作报告"
           "市教育局2023年法治政府建设年度报告发布日期:2024-02-29信息来源:编辑:随州市教育局审核:教育局字号:[ ]"
           "浏览次数: 2023年，市教育局坚持依法治校。")
    out = normalize(raw)
    assert out.text == "市教育局2023年法治政府建设年度报告2023年,市教育局坚持依法治校。"
    assert "编辑:随州市教育局" in furniture_text(raw, out)
    # a name that runs on into the text stays there; a field's label after a Chinese character is the text's own
    kept = normalize("评估报告来源:县委依法治县办根据通知要求开展评估。资金来源:财政拨款。").text
    assert "县委依法治县办根据" in kept and "资金来源:财政拨款" in kept
    town = normalize("所属机构:青坪镇人民政府 发布日期:2021-01-18 浏览次数:\n2020年度法治政府建设工作总结").text
    assert town.strip() == "2020年度法治政府建设工作总结"


def test_an_english_full_stop_ends_a_chinese_sentence_but_not_a_number_heading_or_address():
    out = normalize("一.加强组织领导\n全年学法12次.二是推进依法行政 .访问www.gov.cn查看《条例》.增长12.5%.").text
    assert out == "一.加强组织领导\n全年学法12次。二是推进依法行政。访问www.gov.cn查看《条例》。增长12.5%。"


def test_a_pdf_paragraphs_indented_first_line_is_a_full_line_too():
    """A PDF's lines all run to one width; a paragraph's first line gives two characters to its indent, so it
    holds fewer characters and still wraps (…主动公开政府信息19.6万条，对市 / 政府出台的重要政策…)."""
    full = "围绕稳经济保民生等重点领域主动公开政府信息，对全市出台的重要政策全部进行"
    lines = ["\u3000\u3000" + full[:28], full[:32], full[:32], full[:32], full[:32], "解读。"]
    out = normalize("\n".join(lines)).text
    assert "\n" not in out.strip() and out.strip().endswith("解读。")


def test_a_ministry_banner_with_its_column_is_furniture():
    out = normalize("中华人民共和国水利部 政府信息公开\n水利部2021年法治政府建设年度报告\n全年主动公开政府信息120条。\n").text
    assert out.lstrip().startswith("水利部2021年法治政府建设年度报告") and out.count("公开") == 1


def test_hong_kong_variants_become_simplified_too():
    assert normalize("區衞生健康局").text == "区卫生健康局"
