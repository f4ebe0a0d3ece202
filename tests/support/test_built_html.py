"""The page tests' HTML reader, on fragments shaped like the built site's (MkDocs + Material + pymdown-extensions)."""

from __future__ import annotations

import markdown
import pytest

from support.built_html import (
    admonition_titles,
    code_blocks,
    details,
    diagram_numbers,
    diagram_texts,
    diagrams,
    external_resources,
    fence_body,
    find_table,
    html_lang,
    inline_codes,
    list_items,
    md_table,
    resources,
    tables_of_html,
    tables_of_markdown,
    text_of,
)


def test_br_in_a_cell_is_a_space_and_whitespace_is_folded():
    page = ("<table><thead><tr><th>Nodo</th><th>Motivo</th></tr></thead><tbody>"
            "<tr><td>node-1</td><td>Insufficient cpu<br>Insufficient memory</td></tr>"
            "<tr><td>\n  node-2\u00a0</td><td>untolerated<br/>taint &amp; <code>NoSchedule</code></td></tr>"
            "</tbody></table>")
    assert tables_of_html(page) == [[["Nodo", "Motivo"], ["node-1", "Insufficient cpu Insufficient memory"],
                                     ["node-2", "untolerated taint & NoSchedule"]]]


def test_markdown_table_with_br_reads_as_the_page_does():
    md = "| Paso | Quién |\n| --- | --- |\n| 1 | kubelet<br>kube-proxy |\n"
    assert md_table(md) == [["Paso", "Quién"], ["1", "kubelet kube-proxy"]]


def test_unclosed_cells_and_rows_still_count():
    assert tables_of_html("<table><tr><th>a<th>b<tr><td>1<td>2</table>") == [[["a", "b"], ["1", "2"]]]


def test_md_table_wants_exactly_one_table():
    one = "| a |\n| - |\n| 1 |\n"
    assert len(tables_of_markdown(one + "\n" + one)) == 2
    with pytest.raises(AssertionError):
        md_table(one + "\n" + one)
    with pytest.raises(AssertionError):
        md_table("sin tabla")


def test_find_table_matches_the_header_exactly():
    page = ("<table><tr><th>Nodo</th><th>Puntuación total</th></tr><tr><td>a</td><td>9</td></tr></table>"
            "<table><tr><th>Nodo</th><th>Puntuación</th></tr><tr><td>a</td><td>3</td></tr></table>"
            "<table><tr><th>Nodo</th><th>Puntuación</th><th>Peso</th></tr>"
            "<tr><td>a</td><td>3</td><td>2</td></tr></table>"
            "<table><tr><th>Nodo</th></tr><tr><td>b</td></tr></table>")
    assert find_table(page, [["Nodo", "Puntuación"]]) == [["Nodo", "Puntuación"], ["a", "3"]]
    with pytest.raises(AssertionError):
        find_table(page, [["Puntuación"]])
    with pytest.raises(AssertionError):  # two tables with one header: ambiguous
        find_table(page + page, [["Nodo"]])


def test_diagrams_their_texts_and_numbers():
    from k8sdocs.render.sequence import Message, sequence_figure

    block = sequence_figure(["kubectl"], [Message("kubectl", "kube-apiserver", 'POST "nginx" & <x>'),
                                          Message("etcd", "etcd", "nota", note=True),
                                          Message("kube-apiserver", "etcd", "PUT /registry/pods")], first_number=4)
    page = "<p>antes</p>" + markdown.markdown(block, extensions=["md_in_html"]) + "<p>después</p>"
    [svg] = diagrams(page)
    assert diagram_numbers(svg) == [4, 5]
    assert 'POST "nginx" & <x>' in diagram_texts(svg) and "nota" in diagram_texts(svg)
    assert code_blocks(page) == []  # a diagram is not a code block
    article = f'<article class="md-content__inner md-typeset">{page}</article>'
    assert "Participantes" not in text_of(article) and 'POST "nginx" & <x>' in text_of(article)


# pymdownx.highlight (Pygments, anchor_linenums) as the built site writes a ```yaml block
CODE_PAGE = ('<div class="highlight"><pre><span></span><code><a id="__codelineno-0-1" name="__codelineno-0-1" '
             'href="#__codelineno-0-1"></a><span class="nt">kind</span><span class="p">:</span><span class="w"> '
             '</span><span class="l l-Scalar l-Scalar-Plain">Pod</span>\n<a id="__codelineno-0-2" '
             'name="__codelineno-0-2" href="#__codelineno-0-2"></a>'
             '<span class="c1"># &lt;nombre&gt; &amp; más</span>\n'
             "</code></pre></div>")


def test_code_block_spans_and_line_anchors_are_stripped():
    assert code_blocks(CODE_PAGE) == ["kind: Pod\n# <nombre> & más\n"]
    assert inline_codes(CODE_PAGE) == []  # only <code> outside <pre>


def test_code_block_as_pymdownx_renders_it():
    md = "```yaml\nkind: Pod\nmetadata:\n  name: web  # <x> & y\n```\n\nUsa `kubectl get pods`."
    page = markdown.markdown(md, extensions=["pymdownx.highlight", "pymdownx.superfences"],
                             extension_configs={"pymdownx.highlight": {"anchor_linenums": True}})
    assert code_blocks(page) == ["kind: Pod\nmetadata:\n  name: web  # <x> & y\n"]
    assert inline_codes(page) == ["kubectl get pods"]


def test_fence_body():
    assert fence_body("```mermaid\nflowchart LR\n  a --> b\n```\n") == "flowchart LR\n  a --> b"
    assert fence_body("```mermaid\nsequenceDiagram\n```\n\nTexto con <code>x</code>.\n", "mermaid") == "sequenceDiagram"
    assert fence_body("```text\n$ kubectl get svc\n\n```\n", "text") == "$ kubectl get svc"
    with pytest.raises(AssertionError):
        fence_body("```mermaidx\nflowchart LR\n```\n", "mermaid")
    with pytest.raises(AssertionError):
        fence_body("Texto\n```text\nx\n```\n")
    with pytest.raises(AssertionError):
        fence_body("```text\nsin cierre\n")


def test_text_of_joins_inline_tags_and_separates_blocks():
    page = ('<nav>Menú</nav><article class="md-content__inner md-typeset"><h1>Título<a class="headerlink">&para;</a>'
            "</h1><p>(<code>! -s 10.244.0.0/16</code>, el rango)</p><p>uno</p><p>dos<br>tres&nbsp; "
            "<strong>4</strong></p><script>var x = 1;</script></article><footer>pie</footer>")
    assert text_of(page) == "Título¶ (! -s 10.244.0.0/16, el rango) uno dos tres 4"
    with pytest.raises(AssertionError):
        text_of("<p>sin artículo</p>")


def test_details_and_list_items():
    page = ('<details class="question">\n<summary>Ver la <em>respuesta</em></summary>\n<p>node-2</p>\n</details>'
            "<ol><li>El <code>kubelet</code> &rarr; CRI</li><li>\n  <p>Otro   paso</p>\n</li></ol>")
    assert details(page) == [("question", "Ver la respuesta", "\n<p>node-2</p>\n")]
    assert list_items(page) == ["El kubelet → CRI", "Otro paso"]


def test_resources_admonition_titles_and_lang():
    page = ('<html lang="es"><head><link rel="icon" href="img/favicon.png"><link rel="canonical" href="https://x/">'
            '<link rel="stylesheet" href="https://fonts.example/css"></head><body>'
            '<div class="admonition note"><p class="admonition-title">Nota</p><p>texto</p></div>'
            '<img src="data:image/png;base64,AAAA"><script src="js/app.js"></script></body></html>')
    assert resources(page) == [("link[rel=icon]", "img/favicon.png"), ("link[rel=stylesheet]", "https://fonts.example/css"),
                               ("img[src]", "data:image/png;base64,AAAA"), ("script[src]", "js/app.js")]
    assert external_resources(page) == [("link[rel=stylesheet]", "https://fonts.example/css")]
    assert admonition_titles(page) == ["Nota"]
    assert html_lang(page) == "es" and html_lang("<p>sin html</p>") is None


def test_nested_cells_and_tables_keep_their_own_text():
    page = "<table><tr><td>a<table><tr><td>dentro</td></tr></table></td><td>b</td></tr></table>"
    assert tables_of_html(page) == [[["a", "b"]], [["dentro"]]]
