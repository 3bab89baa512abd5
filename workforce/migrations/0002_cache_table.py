"""The shared cache table (settings.CACHES), created wherever migrations run.

Several application servers share one cache for password-reset limits and import
previews; keeping its table in a migration means no deploy step can forget it.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("workforce", "0001_initial")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
