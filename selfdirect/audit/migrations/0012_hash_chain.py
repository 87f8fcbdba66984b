"""The hash chain (audit/chain.py): new fields, the chain head, and existing events chained
in the order they were written (id order)."""

from django.db import migrations, models

# The chain's format is the trail's format: the migration must hash exactly as the
# application does, so it uses the application's (pure, Django-free) module.
from selfdirect.audit import chain

BATCH = 2000


def chain_existing_events(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    update = (
        f"UPDATE {quote(AuditEvent._meta.db_table)} "
        f"SET {quote('sequence')} = %s, {quote('prev_hash')} = %s, {quote('hash')} = %s "
        f"WHERE {quote('id')} = %s"
    )
    names = [name for name in chain.CONTENT_FIELDS if name != "sequence"]
    events = AuditEvent.objects.using(connection.alias).order_by("id")
    head = chain.Head()
    last_id = 0
    # Pages by id rather than one long read, so as not to update rows under an open cursor.
    while batch := list(events.filter(id__gt=last_id).values_list("id", *names)[:BATCH]):
        params = []
        for event_id, *values in batch:
            content = chain.Content(head.sequence + 1, *values)
            new_head = chain.extend(head, content)
            params.append((new_head.sequence, head.hash, new_head.hash, event_id))
            head = new_head
        with connection.cursor() as cursor:
            cursor.executemany(update, params)
        last_id = batch[-1][0]
    AuditChainHead.objects.using(connection.alias).create(
        id=1, sequence=head.sequence, hash=head.hash
    )


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0011_alter_auditevent_event_type"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="sequence",
            field=models.PositiveBigIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.CreateModel(
            name="AuditChainHead",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("sequence", models.PositiveBigIntegerField(default=0)),
                ("hash", models.CharField(default="0" * 64, max_length=64)),
            ],
            options={
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("id", 1)), name="audit_chain_head_one_row"
                    )
                ],
            },
        ),
        migrations.RunPython(chain_existing_events, migrations.RunPython.noop),
    ]
