"""axe-core audits for Playwright pages: the same engine as the browser extensions auditors use.

axe.min.js comes from node_modules (npm ci, run by make test), never from the network.
"""

from functools import cache

import pytest

from tests.support import ROOT, missing

AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}
# Ends every transition and animation at once: axe judges the colours a person sees once
# the page has settled, not a frame of Wagtail's messages fading in (0.5 s), whose
# half-transparent text it would measure depending on the machine's speed.
SETTLED = "*, *::before, *::after { transition: none !important; animation: none !important; }"


@cache
def axe_source():
    if not AXE_SCRIPT.is_file():
        missing(f"{AXE_SCRIPT.relative_to(ROOT)} not found: run `npm ci` (make test does)")
    return AXE_SCRIPT.read_text(encoding="utf-8")


def axe_check(page):
    """The WCAG 2.1 A and AA violations axe finds on the page as it is now.

    The browser_context fixture preloads axe in every page; other pages get it here."""
    if not page.evaluate("() => 'axe' in window"):
        page.add_script_tag(content=axe_source())
    page.add_style_tag(content=SETTLED)
    return page.evaluate(
        "options => axe.run(document, options).then(results => results.violations)",
        AXE_OPTIONS,
    )


def describe_violations(violations_by_url):
    """One block per URL, one line per rule, one line per element: enough to fix it."""
    lines = []
    for url, violations in violations_by_url.items():
        lines.append(url)
        for violation in violations:
            lines.append(f"  {violation['id']} ({violation['impact']}): {violation['help']}")
            for node in violation["nodes"]:
                target = " ".join(
                    " > ".join(part) if isinstance(part, list) else part for part in node["target"]
                )
                summary = " ".join(node.get("failureSummary", "").split())
                lines.append(f"    {target}: {summary}")
    return "\n".join(lines)


def assert_no_axe_violations(page):
    if violations := axe_check(page):
        pytest.fail("axe found violations:\n" + describe_violations({page.url: violations}))
