"""pg_trgm and GIN trigram indexes for fuzzy company-name matching (PostgreSQL only).

On the embedded SQLite default these are skipped and conflict detection falls back to Python
(difflib) similarity; see deals.conflicts.
"""

from django.db import migrations


def _on_postgres(apps, schema_editor):
    return schema_editor.connection.vendor == "postgresql"


def forwards(apps, schema_editor):
    if not _on_postgres(apps, schema_editor):
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS deals_prospect_name_trgm ON deals_prospect USING gin (lower(name) gin_trgm_ops)"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS deals_pipeline_name_trgm "
        "ON deals_pipelineentry USING gin (lower(company_name) gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if not _on_postgres(apps, schema_editor):
        return
    schema_editor.execute("DROP INDEX IF EXISTS deals_prospect_name_trgm")
    schema_editor.execute("DROP INDEX IF EXISTS deals_pipeline_name_trgm")


class Migration(migrations.Migration):
    dependencies = [("deals", "0002_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
