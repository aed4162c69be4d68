"""The demo shows review routing and stalls (A6.1, A6.2): 团委's head has left, and the office sees it."""

from django.urls import reverse

from cms.demo.review import YOUTH_LEAGUE_TITLE
from cms.demo.site import seed_demo
from cms.models import ArticlePage, DepartmentHeadTask
from cms.review import stalls


def test_the_demo_warns_the_office_and_routes_youth_league_material_to_the_leader(
    db, settings, tmp_path, django_user_model, client
):
    settings.MEDIA_ROOT = str(tmp_path)
    seed_demo()
    seed_demo()  # idempotent: nothing twice

    page = ArticlePage.objects.get(title=YOUTH_LEAGUE_TITLE)
    leader = django_user_model.objects.get(username="leader")
    moderated = DepartmentHeadTask.objects.get().get_task_states_user_can_moderate(leader)
    assert [int(state.workflow_state.object_id) for state in moderated] == [page.pk]
    assert [review.page_id for review in stalls.stalled_reviews(leader)[0]] == [page.pk]

    client.force_login(django_user_model.objects.get(username="office"))
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'data-department="youth-league"' in html and "团委" in html and "陈志强" in html
    assert f'data-stalled-page="{page.pk}"' in html
