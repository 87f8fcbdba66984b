from __future__ import annotations

from django.urls import include, path

from selfdirect.api.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("", include("selfdirect.core.urls")),
    path("", include("selfdirect.accounts.urls")),
    path("sign-in/email-link/", include("selfdirect.portal.email_link_urls")),
    path("people/", include("selfdirect.people.urls")),
    path("", include("selfdirect.assessments.urls")),
    path("", include("selfdirect.budgets.urls")),
    path("", include("selfdirect.plans.urls")),
    path("", include("selfdirect.reviews.urls")),
    path("figures/", include("selfdirect.dashboards.urls")),
    path("team/", include("selfdirect.caseloads.urls")),
    path("council/", include("selfdirect.workforce.urls")),
    path("portal/", include("selfdirect.portal.urls")),
    path("council/returns/", include("selfdirect.returns.urls")),
    path("council/import/", include("selfdirect.legacy.urls")),
    path("council/subject-access/", include("selfdirect.subject_access.urls")),
    path("council/retention/", include("selfdirect.retention.urls")),
    path("council/restricted-records/", include("selfdirect.people.restriction_urls")),
]

handler400 = "selfdirect.core.views.bad_request"
handler403 = "selfdirect.core.views.permission_denied"
handler404 = "selfdirect.core.views.page_not_found"
handler500 = "selfdirect.core.views.server_error"
