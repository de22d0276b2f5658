"""Who may see which site: per-site roles, enforced by every page, export, share link, email and API call."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from dashboards.models import ShareLink, Site, SiteMembership

VIEWER = SiteMembership.VIEWER
ADMIN = SiteMembership.ADMIN
_RANK = {VIEWER: 1, ADMIN: 2}


@dataclass(frozen=True)
class SiteAccess:
    """A site as one reader may see it: through a role, or read-only through a share link."""

    site: Site
    role: str
    share_link: ShareLink | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN

    @property
    def is_shared(self) -> bool:
        return self.share_link is not None


def get_role(user: AbstractBaseUser | AnonymousUser, site: Site) -> str | None:
    """Return the user's role on the site; superusers administer every site."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return ADMIN
    membership = SiteMembership.objects.filter(site=site, user=user).only("role").first()
    return membership.role if membership else None


def get_site_access(user: AbstractBaseUser | AnonymousUser, slug: str, needed: str = VIEWER) -> SiteAccess:
    """Return the access to the site named by `slug`, or raise.

    Raises Http404 when the user has no role at all (so a site's existence does not leak) and PermissionDenied
    when the role is too low for the action.
    """
    site = Site.objects.filter(slug=slug).first()
    role = get_role(user, site) if site else None
    if role is None:
        raise Http404("No such site.")
    if _RANK[role] < _RANK[needed]:
        raise PermissionDenied("This needs the admin role on the site.")
    return SiteAccess(site, role)


def list_sites_with_roles(user: AbstractBaseUser) -> list[tuple[Site, str]]:
    """Return (site, role) pairs for the user's sites in two queries, whatever their number."""
    mine = Prefetch("memberships", queryset=SiteMembership.objects.filter(user=user), to_attr="own_memberships")
    sites = list_sites_for_user(user).prefetch_related(mine)
    return [(s, ADMIN if user.is_superuser else s.own_memberships[0].role) for s in sites]


def list_sites_for_user(user: AbstractBaseUser) -> QuerySet[Site]:
    """Return the sites the user has a role on, in name order."""
    if user.is_superuser:
        return Site.objects.all()
    return Site.objects.filter(memberships__user=user).distinct()
