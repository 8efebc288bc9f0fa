"""People, agencies and roles, managed by system administrators in Django's admin site.

Every change made here is written to the audit trail like any other.
"""

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.db import transaction
from django.db.models import Model, QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest, HttpResponse
from django.utils.text import capfirst

from assure.accounts import mfa, services
from assure.accounts.admin_site import may_manage
from assure.accounts.models import APPROVED_ROLES, Agency, MfaReset, Partnership, RoleGrant, User
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

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        """A list of people, grants or agencies seen is audited with the rows it showed."""
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            shown = [str(obj.pk) for obj in changelist.result_list]
            audit.record(
                request.user,
                audit.Action.VIEW,
                record_type=self.model._meta.label_lower,
                summary=f"Admin site: list of {self.model._meta.verbose_name_plural}",
                changes={"query": request.GET.urlencode()[:500], "shown": shown},
            )
        return response

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> Any:
        """Opening one record is audited (a save is audited by save_model with its changes)."""
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            audit.record(
                request.user,
                audit.Action.VIEW,
                record_type=self.model._meta.label_lower,
                record_id=unquote(object_id)[:64],
                summary=f"Admin site: {self.model._meta.verbose_name} opened",
            )
        return response

    def save_model(self, request: HttpRequest, obj: Model, form: ModelForm, change: bool) -> None:
        """Audited with each changed field's old and new value ({field: [old, new]})."""
        saved = type(obj)._default_manager.filter(pk=obj.pk).first() if change else None
        super().save_model(request, obj, form, change)
        if saved is None:
            audit.record(request.user, audit.Action.CREATE, obj, changes=audit.redact(_fields(obj)))
        else:
            changes = audit.diff(_fields(saved), _fields(obj))
            audit.record(request.user, audit.Action.UPDATE, obj, changes=changes)

    def save_formset(
        self, request: HttpRequest, form: ModelForm, formset: Any, change: bool
    ) -> None:
        """Rows edited inline (a person's roles) are audited one by one, with old values."""
        deleted = [
            (f.instance._meta.label_lower, f.instance.pk, str(f.instance))
            for f in formset.deleted_forms
            if f.instance.pk
        ]  # read first: a deleted row no longer has its id
        model = formset.model
        ids = [f.instance.pk for f in formset.initial_forms if f.instance.pk]
        before = {row.pk: _fields(row) for row in model._default_manager.filter(pk__in=ids)}
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            audit.record(request.user, audit.Action.CREATE, obj, changes=_fields(obj))
        for obj, _names in formset.changed_objects:
            changes = audit.diff(before.get(obj.pk, {}), _fields(obj))
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
    """A row's own values as text, for its audit event (a related row by its name and id)."""
    values = {}
    for f in obj._meta.concrete_fields:
        if f.primary_key:
            continue
        value = getattr(obj, f.attname)
        if f.is_relation and value is not None:
            values[f.name] = f"{getattr(obj, f.name)} [{value}]"
        else:
            values[f.name] = "" if value is None else str(value)
    return values


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
    fields = ["role", "scope", "scope_name", "ends_on", "approval"]
    readonly_fields = ["approval"]
    extra = 1

    @admin.display(description="Approval")
    def approval(self, grant: RoleGrant) -> str:
        if grant.pk is None:
            return ""
        if grant.is_pending:
            return "Waiting for a second administrator's approval"
        return f"Approved by {grant.approved_by}" if grant.approved_by else "Approved"

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
    actions = ["ask_to_reset_second_factor"]

    def save_formset(
        self, request: HttpRequest, form: ModelForm, formset: Any, change: bool
    ) -> None:
        """A child-level or administrator role given, or changed in any way (its scope or end
        date could widen it), waits for a second administrator's approval
        (docs/permissions.md, separation of duties)."""
        for row in formset.forms:
            grant = row.instance
            deleted = formset.can_delete and formset._should_delete_form(row)
            if row.has_changed() and not deleted and grant.role in APPROVED_ROLES:
                grant.requested_by, grant.approved_by, grant.approved_at = request.user, None, None
        super().save_formset(request, form, formset, change)

    @admin.action(description="Ask to reset the selected people's second factors")
    def ask_to_reset_second_factor(self, request: HttpRequest, people: QuerySet[User]) -> None:
        assert isinstance(request.user, User)
        for person in people:
            mfa.request_reset(request.user, person, reason="Asked for in the admin site")
        self.message_user(
            request,
            "Asked: a second system administrator must approve each reset under "
            "'Second-factor resets'.",
        )

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


@admin.register(RoleGrant)
class RoleGrantAdmin(AuditedAdmin):
    """Role grants waiting for approval, approved by a second administrator."""

    list_display = ["user", "role", "scope", "ends_on", "requested_by", "approved_by"]
    list_filter = [("approved_at", admin.EmptyFieldListFilter), "role"]
    fields = ["user", "role", "scope", "scope_name", "ends_on"]
    actions = ["approve"]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False  # roles are given on the person's page

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # and changed there: here they are only approved

    @admin.action(description="Approve the selected roles")
    def approve(self, request: HttpRequest, grants: QuerySet[RoleGrant]) -> None:
        assert isinstance(request.user, User)
        for grant in grants.filter(approved_at__isnull=True):
            try:
                services.approve_grant(request.user, grant)
            except services.SeparationOfDuties as refusal:
                self.message_user(request, f"{grant}: {refusal}", messages.ERROR)
            else:
                self.message_user(request, f"{grant}: approved", messages.SUCCESS)


@admin.register(MfaReset)
class MfaResetAdmin(AuditedAdmin):
    """Resets of lost second factors: one administrator asks, a second approves."""

    list_display = ["person", "reason", "requested_by", "requested_at", "approved_by"]
    list_filter = [("approved_at", admin.EmptyFieldListFilter)]
    fields = ["person", "reason"]
    actions = ["approve"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and may_manage(request)

    def save_model(self, request: HttpRequest, obj: Model, form: ModelForm, change: bool) -> None:
        assert isinstance(obj, MfaReset)
        assert isinstance(request.user, User)
        saved = mfa.request_reset(request.user, obj.person, obj.reason)
        obj.pk = saved.pk

    @admin.action(description="Approve the selected resets")
    def approve(self, request: HttpRequest, resets: QuerySet[MfaReset]) -> None:
        assert isinstance(request.user, User)
        for reset in resets.filter(approved_at__isnull=True):
            try:
                mfa.approve_reset(request.user, reset)
            except services.SeparationOfDuties as refusal:
                self.message_user(request, f"{reset.person}: {refusal}", messages.ERROR)
            else:
                self.message_user(request, f"{reset.person}: second factors removed")
