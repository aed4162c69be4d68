"""The demo shows each governance workflow with something to do (A6.4, A6.5, A6.6), however often it is seeded."""

from django.utils import timezone

from cms.cases import services as cases
from cms.demo.site import seed_demo
from cms.menu_changes import services as menu_changes
from cms.models import Case, MenuChangeApplication
from wechat_channel import menu as wechat_menu
from wechat_channel.credentials import services as credentials


def test_the_demo_has_cases_a_menu_change_and_a_credential_holder(db, settings, tmp_path, django_user_model):
    settings.MEDIA_ROOT = str(tmp_path)
    seed_demo()
    seed_demo()  # idempotent: nothing twice

    assert sorted(Case.objects.values_list("kind", "source")) == sorted(
        [
            (Case.Kind.REPORT, Case.Source.WECHAT),
            (Case.Kind.REPORT, Case.Source.SITE),
            (Case.Kind.SYSTEM_ERROR, Case.Source.CHANNEL),
        ]
    )
    late = [case.number for case in Case.objects.all() if case.is_late(timezone.now())]
    assert late == [Case.objects.get(source=Case.Source.SITE).number]  # the late one shows how escalation looks
    assert cases.escalate_late() == late

    application = MenuChangeApplication.objects.get()
    assert application.status == MenuChangeApplication.Status.SUBMITTED
    assert wechat_menu.validate_menu(application.menu) == []
    head = django_user_model.objects.get(username="head_student")
    assert application in menu_changes.awaiting(head)  # on the department head's dashboard

    account = application.account
    assert [h.user.username for h in credentials.current_holders(account)] == ["channel"]
    assert not credentials.needs_rotation(account)
