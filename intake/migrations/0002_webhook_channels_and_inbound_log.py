"""WhatsApp channels become webhook channels of any provider (WhatsApp, Twilio, email), with an inbound log.

The table, its rows and their ids stay; the app secret becomes the provider's secret, and every existing
channel is a WhatsApp one. Permissions keep their ids (their codenames follow the model's new name), so
whoever held them still does.
"""

import django.db.models.deletion
import django.db.models.functions.text
import django.db.models.lookups
import django.utils.timezone
from django.db import migrations, models


def rename_permissions(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for permission in Permission.objects.filter(codename__endswith="_whatsappchannel"):
        action = permission.codename.split("_", 1)[0]
        if Permission.objects.filter(content_type=permission.content_type, codename=f"{action}_webhookchannel").exists():
            continue
        permission.codename = f"{action}_webhookchannel"
        permission.name = f"Can {action} webhook channel"
        permission.save(update_fields=["codename", "name"])


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("intake", "0001_initial"),
        ("profiles", "0001_initial"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="whatsappchannel", name="whatsappchannel_name_not_empty"),
        migrations.RemoveConstraint(model_name="whatsappchannel", name="whatsappchannel_slug_not_empty"),
        migrations.RemoveConstraint(model_name="whatsappchannel", name="whatsappchannel_verify_token_min_length"),
        migrations.RemoveConstraint(model_name="whatsappchannel", name="whatsappchannel_app_secret_min_length"),
        migrations.RenameModel(old_name="WhatsAppChannel", new_name="WebhookChannel"),
        migrations.RenameField(model_name="webhookchannel", old_name="app_secret", new_name="secret"),
        migrations.AddField(
            model_name="webhookchannel",
            name="provider",
            field=models.CharField(
                choices=[
                    ("whatsapp", "WhatsApp Cloud API"),
                    ("twilio", "Twilio SMS and Voice"),
                    ("email", "Inbound email"),
                ],
                default="whatsapp",
                max_length=20,
            ),
            preserve_default=False,
        ),
        migrations.AlterModelOptions(
            name="webhookchannel", options={"ordering": ["name", "id"], "verbose_name": "webhook channel"}
        ),
        migrations.AlterField(
            model_name="webhookchannel",
            name="name",
            field=models.CharField(
                help_text="Which number, app or mailbox, e.g. “Support line Brazil”.", max_length=100
            ),
        ),
        migrations.AlterField(
            model_name="webhookchannel",
            name="slug",
            field=models.SlugField(help_text="The last part of the callback URL: /webhooks/<provider>/<slug>/."),
        ),
        migrations.AlterField(
            model_name="webhookchannel",
            name="verify_token",
            field=models.CharField(
                blank=True,
                help_text="WhatsApp only: any string you choose; type the same one into Meta's “Verify token” field.",
                max_length=255,
            ),
        ),
        migrations.AlterField(
            model_name="webhookchannel",
            name="secret",
            field=models.CharField(
                help_text="What the provider signs or authenticates requests with.", max_length=255
            ),
        ),
        migrations.AddConstraint(
            model_name="webhookchannel",
            constraint=models.UniqueConstraint(fields=("provider", "slug"), name="webhookchannel_provider_slug_unique"),
        ),
        migrations.AddConstraint(
            model_name="webhookchannel",
            constraint=models.CheckConstraint(
                condition=models.Q(("provider__in", ["whatsapp", "twilio", "email"])),
                name="webhookchannel_provider_known",
            ),
        ),
        migrations.AddConstraint(
            model_name="webhookchannel",
            constraint=models.CheckConstraint(
                condition=models.Q(("name", ""), _negated=True), name="webhookchannel_name_not_empty"
            ),
        ),
        migrations.AddConstraint(
            model_name="webhookchannel",
            constraint=models.CheckConstraint(
                condition=models.Q(("slug", ""), _negated=True), name="webhookchannel_slug_not_empty"
            ),
        ),
        migrations.AddConstraint(
            model_name="webhookchannel",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("provider", "whatsapp"), _negated=True),
                    django.db.models.lookups.GreaterThanOrEqual(
                        django.db.models.functions.text.Length("verify_token"), 8
                    ),
                    _connector="OR",
                ),
                name="webhookchannel_verify_token_min_length",
            ),
        ),
        migrations.AddConstraint(
            model_name="webhookchannel",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.GreaterThanOrEqual(
                    django.db.models.functions.text.Length("secret"), 8
                ),
                name="webhookchannel_secret_min_length",
            ),
        ),
        migrations.RunPython(rename_permissions, migrations.RunPython.noop),
        migrations.CreateModel(
            name="InboundDelivery",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("received_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "outcome",
                    models.CharField(
                        choices=[
                            ("recorded", "Recorded"),
                            ("replayed", "Replayed"),
                            ("skipped", "Skipped"),
                            ("ignored", "Ignored"),
                            ("refused", "Refused"),
                        ],
                        max_length=10,
                    ),
                ),
                (
                    "source_ref",
                    models.CharField(blank=True, help_text="The provider's id of the message or call.", max_length=255),
                ),
                (
                    "sender",
                    models.CharField(blank=True, help_text="The contact point as the provider sent it.", max_length=255),
                ),
                ("detail", models.CharField(blank=True, help_text="Why, or what the message said.", max_length=500)),
                (
                    "channel",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="deliveries",
                        to="intake.webhookchannel",
                    ),
                ),
                (
                    "contact",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="profiles.contact",
                    ),
                ),
            ],
            options={
                "verbose_name": "inbound delivery",
                "verbose_name_plural": "inbound deliveries",
                "ordering": ["-id"],
                "indexes": [models.Index(fields=["channel", "-id"], name="inbounddelivery_channel_recent")],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("outcome__in", ["recorded", "replayed", "skipped", "ignored", "refused"])),
                        name="inbounddelivery_outcome_known",
                    )
                ],
            },
        ),
    ]
