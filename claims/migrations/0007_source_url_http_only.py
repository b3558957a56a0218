"""Source URLs are checked as web addresses: http and https only (claims/weblinks.py)."""

import claims.weblinks
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0006_review_marks"),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalsource",
            name="url",
            field=claims.weblinks.WebURLField(blank=True, max_length=500),
        ),
        migrations.AlterField(
            model_name="source",
            name="url",
            field=claims.weblinks.WebURLField(blank=True, max_length=500),
        ),
    ]
