"""Languages of what a person reads: Finnish, Swedish and English messages, dates, numbers and labels.

Messages are gettext catalogues (``locale/<lang>/LC_MESSAGES/hyvinvointi_kg.po``, compiled
``.mo`` beside them), extracted with Babel from the Python sources and the jinja2 templates
(``babel.cfg`` at the repository root). Dates, numbers and amounts are formatted with Babel's
CLDR data. Nothing here keeps state beyond a cache of the three read-only catalogues.

The default language (:func:`default_lang`) is, in order: the environment variable
``HYVINVOINTI_KG_LANG``; the user's locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``: ``fi…`` gives
Finnish, ``sv…`` Swedish); else English. A Finnish or Swedish desktop thus gets its own
language without a flag, while a server, a container or CI with a ``C`` locale gets English,
which is also what the CSV and JSON column names are written in.
"""

from __future__ import annotations

import functools
import gettext
import os
import sys
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from importlib import resources
from typing import TYPE_CHECKING, Literal, get_args

from hyvinvointi_kg.errors import InputError

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node

__all__ = [
    "DOMAIN",
    "LANGUAGES",
    "LANG_VARIABLE",
    "N_",
    "Lang",
    "Nn_",
    "Np_",
    "check_lang",
    "count_text",
    "default_lang",
    "format_date",
    "format_money",
    "format_number",
    "label",
    "translator",
]

Lang = Literal["fi", "sv", "en"]
LANGUAGES: tuple[Lang, ...] = get_args(Lang)
DOMAIN = "hyvinvointi_kg"  #: the gettext domain: the catalogues' file name
LANG_VARIABLE = "HYVINVOINTI_KG_LANG"  #: the environment variable that sets the default language

# The CLDR locale of each language: Swedish as written in Finland (1.9.2019, like Finnish).
_LOCALES: Mapping[Lang, str] = {"fi": "fi_FI", "sv": "sv_FI", "en": "en"}
_LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")


def N_(message: str) -> str:
    """Mark *message* for extraction without translating it (translated later, where it is shown).

    Examples
    --------
    >>> N_("Projects")
    'Projects'
    """
    return message


def Nn_(singular: str, plural: str) -> tuple[str, str]:
    """Mark a singular and plural pair for extraction (keyword ``Nn_:1,2``); see :func:`count_text`.

    Examples
    --------
    >>> Nn_("{n} project", "{n} projects")
    ('{n} project', '{n} projects')
    """
    return singular, plural


def Np_(context: str, message: str) -> str:
    """Mark *message* in *context* for extraction (keyword ``Np_:1c,2``); translate with ``pgettext(context, …)``.

    Examples
    --------
    >>> Np_("title", "projects")
    'projects'
    """
    del context
    return message


def count_text(forms: tuple[str, str], n: int, *, lang: Lang, **values: object) -> str:
    """The form of *forms* (marked with :func:`Nn_`) that *n* takes in *lang*, with ``{n}`` and *values* filled in.

    Examples
    --------
    >>> forms = Nn_("{n} project", "{n} projects")
    >>> count_text(forms, 1, lang="fi"), count_text(forms, 3, lang="fi"), count_text(forms, 3, lang="en")
    ('1 hanke', '3 hanketta', '3 projects')
    """
    return translator(lang).ngettext(*forms, n).format(n=n, **values)


def check_lang(value: str) -> Lang:
    """*value* as a :data:`Lang`.

    Raises
    ------
    InputError
        If *value* is not ``"fi"``, ``"sv"`` or ``"en"``.

    Examples
    --------
    >>> check_lang("sv")
    'sv'
    """
    if value not in LANGUAGES:
        raise InputError(f"unknown language {value!r}; one of {', '.join(LANGUAGES)}")
    return value


def default_lang(environ: Mapping[str, str] | None = None) -> Lang:
    """The language used when none is named: ``HYVINVOINTI_KG_LANG``, else the locale, else English.

    Parameters
    ----------
    environ
        The environment to read (default: ``os.environ``).

    Raises
    ------
    InputError
        If ``HYVINVOINTI_KG_LANG`` is set to something other than fi, sv or en.

    Examples
    --------
    >>> default_lang({"LANG": "fi_FI.UTF-8"}), default_lang({"LANG": "C.UTF-8"})
    ('fi', 'en')
    >>> default_lang({"HYVINVOINTI_KG_LANG": "sv", "LANG": "fi_FI.UTF-8"})
    'sv'
    >>> default_lang({"LC_ALL": "sv_FI.UTF-8", "LANG": "fi_FI.UTF-8"})
    'sv'
    """
    env = os.environ if environ is None else environ
    chosen = env.get(LANG_VARIABLE, "").strip()
    if chosen:
        return check_lang(chosen)
    for name in _LOCALE_VARIABLES:  # POSIX precedence: the first one set decides
        value = env.get(name, "")
        if value:
            return "fi" if value.startswith("fi") else "sv" if value.startswith("sv") else "en"
    if environ is None and sys.platform == "win32":  # pragma: no cover - Windows has no LANG
        import locale

        name = (locale.getlocale()[0] or "").casefold()
        return "fi" if name.startswith("fi") else "sv" if name.startswith("sv") else "en"
    return "en"


@functools.lru_cache(maxsize=len(LANGUAGES))
def translator(lang: Lang) -> gettext.NullTranslations:
    """The message catalogue of *lang*, read once from the package (``locale/<lang>/LC_MESSAGES``).

    Raises
    ------
    InputError
        For an unknown *lang*.

    Examples
    --------
    >>> translator("fi").gettext("Projects")
    'Hankkeet'
    >>> translator("sv").ngettext("{n} project", "{n} projects", 2).format(n=2)
    '2 projekt'
    """
    check_lang(lang)
    catalogue = resources.files("hyvinvointi_kg") / "locale" / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    with catalogue.open("rb") as stream:
        return gettext.GNUTranslations(stream)


def format_date(value: date, lang: Lang) -> str:
    """*value* as the language writes a date: 1.9.2019 in Finnish and in Finland-Swedish, ISO in English.

    English readers of this data are international researchers: ``2019-09-01`` reads the same
    to British and American eyes, where ``9/1/19`` does not.

    Examples
    --------
    >>> [format_date(date(2019, 9, 1), lang) for lang in ("fi", "sv", "en")]
    ['1.9.2019', '1.9.2019', '2019-09-01']
    """
    if lang == "en":
        return value.isoformat()
    from babel.dates import format_date as babel_date

    return babel_date(value, "short", locale=_LOCALES[check_lang(lang)])


def format_number(value: float | int | Decimal, lang: Lang, *, digits: int = 2, fixed: bool = False) -> str:
    """*value* with the language's separators: up to *digits* decimals (exactly *digits* if *fixed*).

    Examples
    --------
    >>> format_number(259577, "fi"), format_number(0.4567, "sv"), format_number(1234.5, "en")
    ('259\\xa0577', '0,46', '1,234.5')
    >>> format_number(0.5, "fi", digits=4, fixed=True)
    '0,5000'
    """
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + ("0" if fixed else "#") * digits if digits else "")
    return format_decimal(value, format=pattern, locale=_LOCALES[check_lang(lang)])


def format_money(amount: float | int | Decimal, lang: Lang, *, currency: str = "EUR") -> str:
    """*amount* in *currency* as the language writes it: ``259 577 €`` (whole euros without cents).

    The spaces are no-break spaces, as CLDR has them, so an amount never breaks across lines.

    Examples
    --------
    >>> format_money(259577, "fi"), format_money(1250.5, "sv"), format_money(259577, "en")
    ('259\\xa0577\\xa0€', '1\\xa0250,50\\xa0€', '€259,577')
    """
    from babel import Locale
    from babel.numbers import format_currency

    locale = _LOCALES[check_lang(lang)]
    pattern = Locale.parse(locale).currency_formats["standard"].pattern
    if Decimal(str(amount)) == Decimal(str(amount)).to_integral_value():
        pattern = pattern.replace(".00", "")
    return format_currency(amount, currency, format=pattern, currency_digits=False, locale=locale)


def label(graph: Graph, node: Node, *, lang: Lang) -> str:
    """The name to show for *node* in *lang*: skos:prefLabel, dcterms:title, rdfs:label, in that order.

    Each property is tried in *lang*, then Finnish, English and any language (the data is
    Finnish; most concepts also have English labels). The IRI when there is no label.

    Examples
    --------
    >>> from rdflib import Graph, URIRef
    >>> g = Graph().parse(format="turtle", data='''
    ...     @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    ...     <urn:x:t> skos:prefLabel "turvallisuus"@fi , "safety and security"@en .''')
    >>> label(g, URIRef("urn:x:t"), lang="en"), label(g, URIRef("urn:x:t"), lang="sv")
    ('safety and security', 'turvallisuus')
    """
    from rdflib import Literal
    from rdflib.namespace import DCTERMS, RDFS, SKOS

    order: tuple[str | None, ...] = (lang, "fi", "en", None)
    for prop in (SKOS.prefLabel, DCTERMS.title, RDFS.label):
        labels = sorted((x for x in graph.objects(node, prop) if isinstance(x, Literal)), key=str)
        for wanted in order:
            for found in labels:
                if wanted is None or found.language == wanted:
                    return str(found)
    return str(node)
