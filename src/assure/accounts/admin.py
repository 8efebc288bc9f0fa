"""People, agencies and roles, managed by system administrators in Django's admin site.

Every change made here is written to the audit trail like any other.
"""

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.db import transaction
from django.db.models import Model
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest, HttpResponse
from django.utils.text import capfirst

from assure.accounts.admin_site import may_manage
from assure.accounts.models import Agency, Partnership, RoleGrant, User
from assure.accounts.services import ensure_partnership_agency
from assure.core import audit


class AuditedAdmin(admin.ModelAdmin):
    """Only system administrators; every save is audited; nothing is deleted."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return may_manage(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_manage(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return may_manage(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_manage(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Never deleted, so that history keeps who did what and for which agency: a person
        # who leaves is made inactive; an agency is renamed if it was added by mistake.
        return False

    def save_model(self, request: HttpRequest, obj: Model, form: ModelForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        changes = {name: str(form.cleaned_data.get(name)) for name in form.changed_data}
        action = audit.Action.UPDATE if change else audit.Action.CREATE
        audit.record(request.user, action, obj, changes=changes)

    def save_formset(
        self, request: HttpRequest, form: ModelForm, formset: Any, change: bool
    ) -> None:
        """Rows edited inline (a person's roles) are audited one by one."""
        deleted = [
            (f.instance._meta.label_lower, f.instance.pk, str(f.instance))
            for f in formset.deleted_forms
            if f.instance.pk
        ]  # read first: a deleted row no longer has its id
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            audit.record(request.user, audit.Action.CREATE, obj, changes=_fields(obj))
        for obj, names in formset.changed_objects:
            changes = {name: str(getattr(obj, name)) for name in names}
            audit.record(request.user, audit.Action.UPDATE, obj, changes=changes)
        for record_type, record_id, summary in deleted:
            audit.record(
                request.user,
                audit.Action.DELETE,
                record_type=record_type,
                record_id=record_id,
                summary=summary,
            )


def _fields(obj: Model) -> dict[str, str]:
    """A new row's own values, for its audit event."""
    return {
        f.name: str(getattr(obj, f.attname)) for f in obj._meta.concrete_fields if not f.primary_key
    }


@admin.register(Partnership)
class PartnershipAdmin(AuditedAdmin):
    list_display = ["name", "short_name"]

    def save_model(self, request: HttpRequest, obj: Model, form: ModelForm, change: bool) -> None:
        """A new partnership comes with its own agency (learning group and business unit)."""
        super().save_model(request, obj, form, change)
        if not change:
            assert isinstance(obj, Partnership)
            ensure_partnership_agency(obj)


@admin.register(Agency)
class AgencyAdmin(AuditedAdmin):
    list_display = ["name", "agency_type", "partnership"]
    list_filter = ["agency_type"]
    search_fields = ["name"]


class RoleGrantFormSet(BaseInlineFormSet):
    """A person's roles as table rows: each field is labelled for screen readers, since a
    column heading is not a label."""

    def add_fields(self, form: Any, index: int | None) -> None:
        super().add_fields(form, index)
        row = "new role" if index is None or index >= self.initial_form_count() else "role"
        for name, field in form.fields.items():
            label = "Remove this role" if name == "DELETE" else capfirst(str(field.label))
            field.widget.attrs["aria-label"] = f"{label} ({row} {(index or 0) + 1})"


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    fk_name = "user"
    formset = RoleGrantFormSet
    extra = 1

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_manage(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_manage(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_manage(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_manage(request)


@admin.register(User)
class PersonAdmin(AuditedAdmin, UserAdmin):
    list_display = ["username", "first_name", "last_name", "agency", "is_active"]
    list_filter = ["agency", "is_active", "roles__role"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Person", {"fields": ("first_name", "last_name", "email", "agency", "job_title")}),
        ("Status", {"fields": ("is_active", "last_login", "date_joined")}),
    )
    readonly_fields = ["last_login", "date_joined"]
    inlines = [RoleGrantInline]

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        """Setting someone's password is audited (never the password itself)."""
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                person = self.get_object(request, unquote(id))
                audit.record(
                    request.user,
                    audit.Action.UPDATE,
                    person,
                    summary="Password set by a system administrator",
                    changes={"password": "set"},
                )
        return response
