# Apart from 0012, so that on PostgreSQL the table is not altered in the transaction that
# updated its rows.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0012_hash_chain"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="sequence",
            field=models.PositiveBigIntegerField(editable=False, unique=True),
        ),
    ]
