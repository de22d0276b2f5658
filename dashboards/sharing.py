"""Read-only share links: a random key in the URL, an optional password, revocable; and who may read a page."""

from __future__ import annotations

import secrets

from django.contrib.auth.hashers import check_password, make_password
from django.http import Http404, HttpRequest
from django.utils import timezone

from dashboards.access import VIEWER, SiteAccess, get_site_access
from dashboards.models import ShareLink, Site

SESSION_PREFIX = "dashboards.share."


def share_link_create(site: Site, user, label: str = "", password: str = "") -> ShareLink:
    return ShareLink.objects.create(site=site, key=secrets.token_urlsafe(24), label=label[:100], created_by=user,
                                    password_hash=make_password(password) if password else "")


def share_link_revoke(link: ShareLink) -> None:
    ShareLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def get_share_link(key: str) -> ShareLink:
    """Return the live link for `key` with its site, or raise Http404 (revoked links are gone)."""
    link = ShareLink.objects.select_related("site").filter(key=key, revoked_at__isnull=True).first()
    if link is None:
        raise Http404("This share link does not exist or was revoked.")
    return link


def share_link_unlock(request: HttpRequest, link: ShareLink, password: str) -> bool:
    """Check the password; on success remember it in this browser's session."""
    if not link.password_hash or check_password(password, link.password_hash):
        request.session[SESSION_PREFIX + str(link.pk)] = link.password_hash[-16:]
        return True
    return False


def is_unlocked(request: HttpRequest, link: ShareLink) -> bool:
    """A link without a password is open; with one, this session must have unlocked the current password."""
    return not link.password_hash or request.session.get(SESSION_PREFIX + str(link.pk)) == link.password_hash[-16:]


def get_page_access(request: HttpRequest, slug: str | None, key: str | None, needed: str = VIEWER) -> SiteAccess:
    """The access a page request has: a share link (read-only viewer) or the logged-in user's role."""
    if key is not None:
        link = get_share_link(key)
        return SiteAccess(link.site, VIEWER, link)
    return get_site_access(request.user, slug or "", needed)
