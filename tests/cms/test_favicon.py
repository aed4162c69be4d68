"""The site and the admin have a favicon (item 7): no 404 for the icon browsers ask for on every page."""

from django.contrib.staticfiles import finders
from django.test import Client


def test_favicon_ico_redirects_to_a_real_icon(db):
    response = Client().get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/cms/favicon.ico"
    icon = finders.find("cms/favicon.ico")
    assert icon
    with open(icon, "rb") as favicon:
        assert favicon.read(4) == b"\x00\x00\x01\x00"  # the ICO signature


def test_site_and_admin_pages_link_the_icon(site_tree, django_user_model):
    link = '<link rel="icon" href="/static/cms/favicon.ico">'
    assert link in Client().get("/").content.decode()
    assert link in Client().get("/admin/login/").content.decode()
    assert "wagtailadmin/images/favicon.ico" not in Client().get("/admin/login/").content.decode()
