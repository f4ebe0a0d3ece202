"""CONTRIBUTING.md and the pull-request template stay true to the project (issue 7, part 2).

The guide makes claims about mkdocs.yml, the Makefile, the code layout and the checklist; these
tests tie each claim to the file it describes, so a change there fails here until the guide is
reviewed. They also check the Spanish: accents on the words that most often lose them, and the
glossary terms the site avoids.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CONTRIBUTING = ROOT / "CONTRIBUTING.md"
PR_TEMPLATE = ROOT / ".github" / "pull_request_template.md"
MKDOCS_YML = ROOT / "mkdocs.yml"
MAKEFILE = ROOT / "Makefile"

# Words that lose their accent most often, as regexes of the WRONG spelling (whole words).
# (Plurals such as "versiones" or "páginas"→"paginas" differ: only the wrong forms are listed.)
UNACCENTED = [
    "pagina", "paginas", "codigo", "version", "configuracion", "construccion",
    "publicacion", "comprobacion", "informacion", "integracion", "planificacion", "organizacion",
    "ejecucion", "validacion", "vinculacion", "aqui", "tambien", "mas", "segun", "unico", "unica",
    "facil", "automaticas?", "automaticos?", "clusteres", "raiz", "indice", "rapido", "despues",
    "ningun", "traduccion", "actualizacion", "puntuacion", "aplicacion", "funcion",
]
# The glossary (facts/glosario.md): "planificador / planificar", never "programador / programar".
AVOIDED = re.compile(r"\bprogramad\w*|\bprogramar\w*|\bcomplemento\w*", re.IGNORECASE)


class _AnyTagLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, whose `!!python/name:` and `!ENV` tags a SafeLoader refuses."""


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node)
    return loader.construct_scalar(node)


_AnyTagLoader.add_multi_constructor("!", _ignore_tag)
_AnyTagLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore_tag)


def mkdocs_config() -> dict[str, Any]:
    return yaml.load(MKDOCS_YML.read_text(encoding="utf-8"), Loader=_AnyTagLoader)


def plugin_config(config: dict[str, Any], name: str) -> dict[str, Any]:
    for entry in config.get("plugins", []):
        if isinstance(entry, dict) and name in entry:
            return entry[name] or {}
        if entry == name:
            return {}
    raise AssertionError(f"plugin {name!r} not in mkdocs.yml")


def prose(markdown: str) -> str:
    """The text a reader reads: no fenced code, inline code, link targets or HTML comments."""
    text = re.sub(r"```.*?```", " ", markdown, flags=re.S)
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
    text = re.sub(r"`[^`]*`", " ", text)
    return re.sub(r"\]\([^)]*\)", "]", text)


def github_slug(heading: str) -> str:
    """GitHub's heading anchors: formatting dropped, lower case, punctuation removed, spaces to '-'.
    Unlike MkDocs, accented letters are kept (CONTRIBUTING.md is read on GitHub, not on the site)."""
    text = re.sub(r"[`*_]", "", heading).strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def checklist(markdown: str) -> list[str]:
    items: list[str] = []
    for line in markdown.splitlines():
        if line.startswith("- [ ] "):
            items.append(line[6:].strip())
        elif items and line.startswith("      ") and line.strip():
            items[-1] += " " + line.strip()
    return items


# ---------------------------------------------------------------------------------------------


def test_guide_and_template_exist() -> None:
    assert CONTRIBUTING.is_file() and PR_TEMPLATE.is_file()


def test_pr_template_checklist_is_the_one_in_the_guide() -> None:
    guide = checklist(CONTRIBUTING.read_text(encoding="utf-8"))
    template = checklist(PR_TEMPLATE.read_text(encoding="utf-8"))
    assert len(template) >= 8
    assert guide == template


def test_the_two_commands_are_make_targets() -> None:
    text = CONTRIBUTING.read_text(encoding="utf-8")
    targets = set(re.findall(r"^([\w-]+):", MAKEFILE.read_text(encoding="utf-8"), flags=re.M))
    for command in ("make serve", "make test"):
        assert command in text
        assert command.split()[1] in targets


def test_guide_states_the_macros_settings_of_mkdocs_yml() -> None:
    text = CONTRIBUTING.read_text(encoding="utf-8")
    macros = plugin_config(mkdocs_config(), "macros")
    # "desactivadas por defecto", "render_macros: true", "una macro … que falla detiene la construcción"
    assert macros.get("render_by_default") is False and "render_by_default: false" in text
    assert "render_macros: true" in text
    assert macros.get("on_error_fail") is True and macros.get("on_undefined") == "strict"
    assert macros.get("modules") == ["k8sdocs.macros"] and "k8sdocs/macros.py" in text
    assert "description:" in text and "nav:" in text
    assert mkdocs_config().get("strict") is True


def test_guide_names_every_layer_of_the_architecture_note() -> None:
    text = CONTRIBUTING.read_text(encoding="utf-8")
    architecture = (ROOT / "k8sdocs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    layers = re.findall(r"^(k8sdocs/\S+)\s", architecture, flags=re.M)
    assert {"k8sdocs/model/", "k8sdocs/render/", "k8sdocs/macros.py"} <= set(layers)
    for layer in layers:
        assert f"`{layer}`" in text, layer
    assert "nunca importa MkDocs" in text


def test_guide_gives_the_fidelity_runner_and_scenarios_folder() -> None:
    text = CONTRIBUTING.read_text(encoding="utf-8")
    assert "python -m k8sdocs.fidelity tests/fidelity" in text
    assert (ROOT / "tests" / "fidelity" / "README.md").is_file()
    assert "docs/escenarios/" in text and "v1.35" in text


@pytest.mark.parametrize("path", [CONTRIBUTING, PR_TEMPLATE], ids=lambda p: p.name)
def test_relative_links_point_to_files(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", prose_links(text)):
        if "://" in target:
            continue
        assert (path.parent / target).exists(), target


def prose_links(markdown: str) -> str:
    """Markdown without code (fenced or inline), where links are examples, not links."""
    return re.sub(r"`[^`\n]*`", " ", re.sub(r"```.*?```", " ", markdown, flags=re.S))


def test_in_page_anchors_match_headings() -> None:
    text = CONTRIBUTING.read_text(encoding="utf-8")
    without_fences = re.sub(r"```.*?```", " ", text, flags=re.S)
    headings = {github_slug(h) for h in re.findall(r"^#{1,6} (.+)$", without_fences, flags=re.M)}
    anchors = re.findall(r"\]\(#([^)]+)\)", text)
    assert len(anchors) >= 10
    assert set(anchors) <= headings, set(anchors) - headings


def test_github_slug_keeps_accents() -> None:
    assert github_slug("Lista de comprobación del *pull request*") == "lista-de-comprobación-del-pull-request"
    assert github_slug("¿Qué es `kubelet`?") == "qué-es-kubelet"


@pytest.mark.parametrize("path", [CONTRIBUTING, PR_TEMPLATE], ids=lambda p: p.name)
def test_spanish_accents(path: Path) -> None:
    text = prose(path.read_text(encoding="utf-8"))
    wrong = re.findall(r"\b(?:" + "|".join(UNACCENTED) + r")\b", text, flags=re.IGNORECASE)
    assert wrong == []
    assert text.count("¿") == text.count("?")
    assert text.count("¡") == text.count("!")


@pytest.mark.parametrize("path", [CONTRIBUTING, PR_TEMPLATE], ids=lambda p: p.name)
def test_glossary_terms_to_avoid_appear_only_as_what_to_avoid(path: Path) -> None:
    for line in prose(path.read_text(encoding="utf-8")).splitlines():
        for match in AVOIDED.finditer(line):
            assert f"nunca «{match.group(0)}»" in line, line


def test_accent_check_can_fail() -> None:
    sample = prose("La pagina de configuracion. `version` en código no cuenta.")
    wrong = re.findall(r"\b(?:" + "|".join(UNACCENTED) + r")\b", sample, flags=re.IGNORECASE)
    assert wrong == ["pagina", "configuracion"]


# Second person, informal or formal: the site's seed page (docs/index.md) is impersonal.
SECOND_PERSON = re.compile(
    r"\b(?:tú|tu|tus|te|ti|contigo|usted|ustedes|puedes|debes|tienes|quieres|necesitas|añades|ejecutas)\b",
    re.IGNORECASE,
)


@pytest.mark.parametrize("path", [CONTRIBUTING, PR_TEMPLATE], ids=lambda p: p.name)
def test_impersonal_voice(path: Path) -> None:
    text = prose(path.read_text(encoding="utf-8"))
    # The style rule itself names the forms it rules out ("Ni tú ni usted").
    text = text.replace("Ni tú ni usted", "")
    assert SECOND_PERSON.findall(text) == []


def test_voice_check_can_fail() -> None:
    assert SECOND_PERSON.findall(prose("Si quieres, ejecuta `make test` y revisa tu página.")) == ["quieres", "tu"]
