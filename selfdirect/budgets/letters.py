"""Decision letters as tagged PDFs (PDF/UA-1), written in plain English.

One letter per completed assessment: the indicative budget explained, or, for someone
found not eligible, the written decision with reasons and information and advice, which
the Care Act requires. The same explanation is shown on the portal and staff pages.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from selfdirect.assessments.models import Assessment
from selfdirect.budgets.selectors import budget_for_assessment


def letter_context(assessment: Assessment) -> dict[str, Any]:
    person = assessment.person
    return {
        "assessment": assessment,
        "person": person,
        "budget": budget_for_assessment(assessment_id=assessment.pk),
        "council_name": settings.COUNCIL_NAME,
        "service_name": settings.SERVICE_NAME,
        "today": timezone.localdate(),
        "named_worker": person.named_worker,
    }


def decision_letter_pdf(assessment: Assessment) -> HttpResponse:
    html = render_to_string("budgets/letter.html", letter_context(assessment))
    pdf = HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
    response = HttpResponse(pdf, content_type="application/pdf")
    name = "budget" if assessment.eligible else "decision"
    response["Content-Disposition"] = f'inline; filename="{person_slug(assessment)}-{name}.pdf"'
    return response


def person_slug(assessment: Assessment) -> str:
    return f"{assessment.person.reference}-{assessment.completed_at:%Y-%m-%d}"
