"""Writes to accounts: users and their role assignments, each audited."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from esep.accounts.models import Profile, TwoFactorDevice
from esep.core import totp
from esep.core.access import forget_grants
from esep.core.audit.chain import audit_record
from esep.core.errors import ApplicationError
from esep.core.iin import InvalidIIN, iin_fingerprint, mask_iin, parse_iin
from esep.core.models import Role, RoleAssignment
from esep.territory.models import Level, Territory

User = get_user_model()

# Where each role may be granted: the level of territory it is tied to (None: the whole country).
ROLE_LEVELS: dict[str, set[str | None]] = {
    Role.RESIDENT: {Level.UNIT},
    Role.AKIM: {Level.UNIT},
    Role.AKIMAT_STAFF: {Level.UNIT},
    Role.DISTRICT_SUPERVISOR: {Level.DISTRICT},
    Role.REGION_SUPERVISOR: {Level.REGION},
    Role.COMMISSION: {None, Level.REGION, Level.DISTRICT, Level.UNIT},
    Role.PARTY_OFFICER: {None, Level.REGION, Level.DISTRICT},
    Role.ANALYST: {None, Level.REGION},
    Role.ADMINISTRATOR: {None},
}


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str | None,
    full_name: str = "",
    email: str = "",
    actor: AbstractBaseUser | None = None,
    check_password: bool = True,
) -> AbstractBaseUser:
    username = username.strip()
    if not username:
        raise ApplicationError(_("A user name is required."))
    if User.objects.filter(username__iexact=username).exists():
        raise ApplicationError(_("The user name %(name)s is taken.") % {"name": username}, code="duplicate")
    first, _sep, last = full_name.strip().partition(" ")
    user = User(username=username, email=email.strip(), first_name=first[:150], last_name=last[:150])
    if password:
        if check_password:
            try:
                validate_password(password, user)
            except ValidationError as exc:
                raise ApplicationError(" ".join(exc.messages), code="weak_password") from exc
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(actor=actor, action="accounts.user_create", subject=user, data={"username": username})
    return user


@transaction.atomic
def role_assign(
    *,
    user: AbstractBaseUser,
    role: str,
    territory: Territory | None,
    party_code: str = "",
    actor: AbstractBaseUser | None = None,
) -> RoleAssignment:
    if role not in Role.values:
        raise ApplicationError(_("Unknown role %(role)s.") % {"role": role})
    level = territory.level if territory is not None else None
    if level not in ROLE_LEVELS[role]:
        raise ApplicationError(
            _("The role %(role)s cannot be held at the level %(level)s.")
            % {"role": Role(role).label, "level": level or _("country")}
        )
    if territory is not None and level == Level.UNIT and not territory.has_elected_akim:
        raise ApplicationError(_("%(unit)s has no elected akim.") % {"unit": territory.name})
    if role == Role.PARTY_OFFICER and not party_code:
        raise ApplicationError(_("A party officer must name the party."))
    try:
        with transaction.atomic():
            assignment = RoleAssignment.objects.create(
                user=user, role=role, territory=territory, party_code=party_code
            )
    except IntegrityError as exc:
        raise ApplicationError(_("The user already holds this role there."), code="duplicate") from exc
    if role == Role.ADMINISTRATOR and not (user.is_staff and user.is_superuser):
        user.is_staff = user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    forget_grants(user)
    audit_record(
        actor=actor,
        action="accounts.role_assign",
        subject=user,
        territory=territory.kato if territory else "",
        data={"role": role, "party": party_code},
    )
    return assignment


@transaction.atomic
def role_revoke(*, assignment: RoleAssignment, actor: AbstractBaseUser | None = None) -> None:
    user = assignment.user
    data = {"role": assignment.role, "party": assignment.party_code}
    territory = assignment.territory.kato if assignment.territory_id else ""
    assignment.delete()
    if (
        data["role"] == Role.ADMINISTRATOR
        and not user.role_assignments.filter(role=Role.ADMINISTRATOR).exists()
    ):
        user.is_staff = user.is_superuser = False
        user.save(update_fields=["is_staff", "is_superuser"])
    forget_grants(user)
    audit_record(actor=actor, action="accounts.role_revoke", subject=user, territory=territory, data=data)


@transaction.atomic
def resident_register(
    *, username: str, password: str, full_name: str, unit: Territory, iin: str = "", phone: str = ""
) -> AbstractBaseUser:
    """Self-registration of a resident: an account, the resident role in their unit, and the IIN if given."""
    fingerprint = masked = None
    if iin:
        try:
            parsed = parse_iin(iin)
        except InvalidIIN as exc:
            raise ApplicationError(exc.reason, code="invalid_iin") from exc
        fingerprint, masked = iin_fingerprint(parsed), mask_iin(parsed)
        if Profile.objects.filter(iin_fingerprint=fingerprint).exists():
            raise ApplicationError(_("An account with this IIN already exists."), code="duplicate")
    user = user_create(username=username, password=password, full_name=full_name)
    Profile.objects.create(
        user=user, iin_fingerprint=fingerprint, iin_masked=masked or "", phone=phone.strip()
    )
    role_assign(user=user, role=Role.RESIDENT, territory=unit, actor=user)
    audit_record(
        actor=user,
        action="accounts.resident_register",
        subject=user,
        territory=unit.kato,
        data={"iin": masked or "", "with_iin": bool(fingerprint)},
    )
    return user


def is_official(user: AbstractBaseUser) -> bool:
    return RoleAssignment.objects.filter(user=user).exclude(role=Role.RESIDENT).exists()


def needs_second_factor(user: AbstractBaseUser) -> bool:
    """Officials always (when the setting is on); anyone who set up a device chose to."""
    confirmed = TwoFactorDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()
    return confirmed or (settings.ESEP_OFFICIAL_2FA and is_official(user))


@transaction.atomic
def two_factor_begin(*, user: AbstractBaseUser) -> TwoFactorDevice:
    """A new secret for a user without a confirmed device (a confirmed one is never replaced here)."""
    device, created = TwoFactorDevice.objects.get_or_create(user=user, defaults={"secret": totp.new_secret()})
    if device.confirmed_at is not None:
        raise ApplicationError(_("Two-factor authentication is already set up."))
    if not created:
        device.secret = totp.new_secret()
        device.save(update_fields=["secret"])
    return device


@transaction.atomic
def two_factor_verify(*, user: AbstractBaseUser, code: str, confirm: bool = False) -> None:
    """Check a code (once per time step); with `confirm`, a pending device becomes active."""
    device = TwoFactorDevice.objects.select_for_update().filter(user=user).first()
    if device is None or (device.confirmed_at is None and not confirm):
        raise ApplicationError(_("Set up two-factor authentication first."), code="no_device")
    step = totp.matching_step(device.secret, code)
    if step is None or step <= device.last_step:
        raise ApplicationError(
            _("The code is not right or was already used. Try the next one."), code="bad_code"
        )
    device.last_step = step
    fields = ["last_step"]
    if device.confirmed_at is None:
        device.confirmed_at = timezone.now()
        fields.append("confirmed_at")
        audit_record(actor=user, action="accounts.two_factor_confirm", subject=user)
    device.save(update_fields=fields)


@transaction.atomic
def profile_set_iin(*, user: AbstractBaseUser, iin: str, actor: AbstractBaseUser | None = None) -> Profile:
    """Tie an IIN to an account that has none yet (kept as fingerprint and masked form only)."""
    try:
        parsed = parse_iin(iin)
    except InvalidIIN as exc:
        raise ApplicationError(exc.reason, code="invalid_iin") from exc
    fingerprint = iin_fingerprint(parsed)
    profile, _created = Profile.objects.select_for_update().get_or_create(user=user)
    if profile.iin_fingerprint == fingerprint:
        return profile
    if profile.iin_fingerprint:
        raise ApplicationError(
            _("This account already has an IIN; it cannot be changed here."), code="has_iin"
        )
    if Profile.objects.filter(iin_fingerprint=fingerprint).exclude(pk=profile.pk).exists():
        raise ApplicationError(_("An account with this IIN already exists."), code="duplicate")
    profile.iin_fingerprint, profile.iin_masked = fingerprint, mask_iin(parsed)
    profile.full_clean()
    profile.save(update_fields=["iin_fingerprint", "iin_masked"])
    audit_record(
        actor=actor or user, action="accounts.profile_set_iin", subject=user, data={"iin": profile.iin_masked}
    )
    return profile
