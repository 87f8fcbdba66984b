"""Background jobs for the statutory return (django-tasks: immediate in the demo, database in
production with `selfdirect db_worker` running)."""

from __future__ import annotations

from django_tasks import task

from selfdirect.returns import services


@task()
def make_cld_export(run_id: int) -> None:
    services.export_run(run_id)
