"""B701-B704: template engines and markup that turn HTML escaping off."""

from __future__ import annotations

import pytest

from support.rules import Case, found

MH = ("MEDIUM", "HIGH")

CASES = [
    # --- B701 jinja2_autoescape_false ---
    Case("B701", "import jinja2\njinja2.Environment(loader=loader)\n", ((2, "HIGH", "HIGH"),)),
    Case(
        "B701",
        "from jinja2 import Environment\nEnvironment(autoescape=False)\n",
        ((2, "HIGH", "HIGH"),),
    ),
    Case(
        "B701",
        "from jinja2 import Environment as Env\nEnv(autoescape=flag)\n",
        ((2, "HIGH", "MEDIUM"),),
    ),
    Case(
        "B701",
        "from jinja2.sandbox import SandboxedEnvironment\nSandboxedEnvironment()\n",
        ((2, "HIGH", "HIGH"),),
        "none",
    ),
    Case(
        "B701",
        "import jinja2\njinja2.Environment(**options)\n",
        ((2, "HIGH", "MEDIUM"),),
        "2 HIGH/HIGH",
    ),
    Case(
        "B701",
        """
        import jinja2
        from jinja2 import Environment, select_autoescape
        Environment(autoescape=True)
        Environment(autoescape=select_autoescape(["html"]))
        jinja2.Environment(autoescape=jinja2.select_autoescape())
        """,
        (),
    ),
    Case("B701", "from myapp import Environment\nEnvironment()\n", ()),
    # --- B702 use_of_mako_templates ---
    Case("B702", "from mako.template import Template\nTemplate('hello ${name}')\n", ((2, *MH),)),
    Case("B702", "import mako.template\nmako.template.Template(text)\n", ((2, *MH),)),
    Case(
        "B702", "from mako import template\ntemplate.Template(filename='page.html')\n", ((2, *MH),)
    ),
    Case(
        "B702",
        "from mako.template import Template\nTemplate(text, default_filters=['h'])\n",
        (),
        "2 MEDIUM/HIGH",
    ),
    Case("B702", "from string import Template\nTemplate('$x')\n", ()),
    Case("B702", "from mako.lookup import TemplateLookup\nTemplateLookup(directories=['t'])\n", ()),
    # --- B703 django_mark_safe ---
    Case("B703", "from django.utils.safestring import mark_safe\nmark_safe(html)\n", ((2, *MH),)),
    Case(
        "B703",
        "from django.utils.safestring import mark_safe\nmark_safe(f'<b>{name}</b>')\n",
        ((2, *MH),),
    ),
    Case(
        "B703",
        "from django.utils.safestring import SafeString\nSafeString(value)\n",
        ((2, *MH),),
    ),
    Case(
        "B703",
        "from django.utils import safestring\nsafestring.mark_safe('<b>%s</b>' % name)\n",
        ((2, *MH),),
    ),
    Case(
        "B703",
        "from django.utils.html import mark_safe\nmark_safe(value)\n",
        ((2, *MH),),
        "none",
    ),
    Case("B703", "from django.utils.safestring import mark_safe\nmark_safe(*parts)\n", ((2, *MH),)),
    Case("B703", "from django.utils.safestring import mark_safe\nmark_safe('<b>ok</b>')\n", ()),
    Case(
        "B703",
        "from django.utils.safestring import mark_safe\nmark_safe('<b>' + 'ok' + '</b>')\n",
        (),
        "2 MEDIUM/HIGH",
    ),
    Case(
        "B703",
        """
        from django.utils.safestring import mark_safe
        self.mark_safe(value)
        @mark_safe
        def render():
            pass
        """,
        (),
        "3 MEDIUM/HIGH",
    ),
    # --- B704 markupsafe_markup_xss ---
    Case("B704", "from markupsafe import Markup\nMarkup(text)\n", ((2, *MH),)),
    Case("B704", "import flask\nflask.Markup(f'<p>{name}</p>')\n", ((2, *MH),)),
    Case("B704", "import markupsafe as ms\nms.Markup(base=text)\n", ((2, *MH),), "none"),
    Case("B704", "from jinja2 import Markup\nMarkup(text)\n", ((2, *MH),), "none"),
    Case(
        "B704",
        """
        from markupsafe import Markup
        Markup("<b>ok</b>")
        Markup()
        Markup("<p>{}</p>").format(name)
        """,
        (),
    ),
    Case(
        "B704",
        "from markupsafe import Markup\nMarkup('<b>' + 'x' + '</b>')\n",
        (),
        "2 MEDIUM/HIGH",
    ),
    Case("B704", "from htmltools import Markup\nMarkup(text)\n", ()),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.rule}-{CASES.index(c)}")
def test_rule(case: Case) -> None:
    assert found(case) == case.expected
