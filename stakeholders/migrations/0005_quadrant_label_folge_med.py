# The low-influence, low-interest quadrant is called "Følge med" (not "Overvåke").

from django.db import migrations, models


def rename_default_label(apps, schema_editor):
    """Analyses that kept the old default name get the new one; a name an editor chose stays."""
    StakeholderAnalysis = apps.get_model("stakeholders", "StakeholderAnalysis")
    StakeholderAnalysis.objects.filter(label_monitor="Overvåke").update(label_monitor="Følge med")


def restore_default_label(apps, schema_editor):
    StakeholderAnalysis = apps.get_model("stakeholders", "StakeholderAnalysis")
    StakeholderAnalysis.objects.filter(label_monitor="Følge med").update(label_monitor="Overvåke")


class Migration(migrations.Migration):
    dependencies = [
        ("stakeholders", "0004_stakeholder_number"),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalstakeholderanalysis",
            name="label_monitor",
            field=models.CharField(
                default="Følge med",
                max_length=100,
                verbose_name="label: low influence, low interest",
            ),
        ),
        migrations.AlterField(
            model_name="stakeholderanalysis",
            name="label_monitor",
            field=models.CharField(
                default="Følge med",
                max_length=100,
                verbose_name="label: low influence, low interest",
            ),
        ),
        migrations.RunPython(rename_default_label, restore_default_label),
    ]
