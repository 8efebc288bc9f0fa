"""People, agencies and roles, managed by system administrators in Django's admin site.

Every change made here is written to the audit trail like any other.
"""

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db.models import Model
from django.forms import ModelForm
from django.http import HttpRequest

from assure.accounts.models import Agency, Partnership, RoleGrant, User
from assure.core import audit
from assure.core.permissions import can


def _may_manage(request: HttpRequest) -> bool:
    return bool(request.user.is_active and can(request.user, "user", "manage"))


admin.site.has_permission = _may_manage  # type: ignore[method-assign]
admin.site.site_header = "Assure: people and agencies"
admin.site.site_title = "Assure administration"


class AuditedAdmin(admin.ModelAdmin):
    """Only system administrators; every save and delete is audited."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _may_manage(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _may_manage(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return _may_manage(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _may_manage(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _may_manage(request)

    def save_model(self, request: HttpRequest, obj: Model, form: ModelForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        changes = {name: str(form.cleaned_data.get(name)) for name in form.changed_data}
        action = audit.Action.UPDATE if change else audit.Action.CREATE
        audit.record(request.user, action, obj, changes=changes)

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        audit.record(request.user, audit.Action.DELETE, obj, summary=str(obj))
        super().delete_model(request, obj)


@admin.register(Partnership)
class PartnershipAdmin(AuditedAdmin):
    list_display = ["name", "short_name"]


@admin.register(Agency)
class AgencyAdmin(AuditedAdmin):
    list_display = ["name", "agency_type", "partnership"]
    list_filter = ["agency_type"]
    search_fields = ["name"]


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 1

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _may_manage(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _may_manage(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _may_manage(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _may_manage(request)


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
