"""Whether single sign-on is on, for the sign-in pages: `{% load sign_in %}{% sso_enabled as sso %}`."""

from django import template

from workforce.sso import sso_enabled as _sso_enabled

register = template.Library()


@register.simple_tag
def sso_enabled() -> bool:
    return _sso_enabled()
