"""The accessibility declaration that French law requires."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from home.models import ComplianceStatus

from .factories import AccessibilityPageFactory


def test_claiming_compliance_needs_an_audit_date(home):
    page = AccessibilityPageFactory.build(compliance_status=ComplianceStatus.PARTIAL)
    with pytest.raises(ValidationError) as error:
        page.clean()
    assert "audit_date" in error.value.message_dict


def test_not_compliant_needs_no_audit(home):
    AccessibilityPageFactory.build(compliance_status=ComplianceStatus.NONE).clean()


def test_declaration_states_status_rate_audit_and_remedies(client, home):
    page = AccessibilityPageFactory(
        parent=home,
        compliance_status=ComplianceStatus.PARTIAL,
        compliance_rate=72,
        audit_date=datetime.date(2026, 9, 14),
        auditor="Audit Exemple",
        non_compliant_content="<p>Le plan n'a pas d'alternative textuelle.</p>",
        contact_email="accessibilite@passerelle.example",
    )
    html = client.get(page.url).content.decode()
    assert f"<strong>{gettext('partially compliant')}</strong>" in html
    assert "72" in html and "Audit Exemple" in html
    assert "Le plan n'a pas d'alternative textuelle." in html
    assert "mailto:accessibilite@passerelle.example" in html
    assert "https://formulaire.defenseurdesdroits.fr/" in html
    assert "Libre réponse 71120" in html


def test_declaration_without_audit_says_so(client, home):
    page = AccessibilityPageFactory(parent=home)
    html = client.get(page.url).content.decode()
    assert gettext("No compliance audit has been carried out yet.") in html
    assert gettext("Test results") not in html
