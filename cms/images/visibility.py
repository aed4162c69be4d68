"""Which images a user may choose or upload into in the admin (A6.1): the image chooser, chosen and upload views.

Whoever may change images (the office, which assembles articles) chooses any image. Everyone else
(contributors, department heads, leaders) chooses only images they uploaded or that a live page shows:
another person's draft under review stays theirs. Held public uploads ("Contributions (pending)") are
the system's alone: no one chooses them or uploads into their collection.
"""

from django.db.models import CharField, IntegerField, Q
from django.db.models.functions import Cast
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, ReferenceIndex
from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy

from cms.contributions.services import PENDING_COLLECTION_NAME

HELD = {"add", "choose"}  # actions never allowed in the pending collection


def held_collections():
    """The pending collection of held public uploads, and anything under it."""
    pending = Collection.get_first_root_node().get_children().filter(name=PENDING_COLLECTION_NAME).first()
    return Collection.objects.descendant_of(pending, inclusive=True) if pending else Collection.objects.none()


def live_page_images():
    """The ids of images a live page shows, from Wagtail's reference index (a page row holds its live content)."""
    live_pages = Page.objects.live().annotate(key=Cast("pk", CharField())).values("key")
    return (
        ReferenceIndex.objects.filter(
            base_content_type=ReferenceIndex._get_base_content_type(Page),
            object_id__in=live_pages,
            to_content_type=ReferenceIndex._get_base_content_type(get_image_model()),
        )
        .annotate(image_id=Cast("to_object_id", IntegerField()))
        .values("image_id")
    )


class NewsroomImagePermissionPolicy(CollectionOwnershipPermissionPolicy):
    """Wagtail's image policy, with choosing narrowed as the module says and the pending collection closed."""

    def __init__(self):
        super().__init__(get_image_model(), auth_model="wagtailimages.Image", owner_field_name="uploaded_by_user")

    def chooses_every_image(self, user):
        return self._check_perm(user, ["change"])

    def collections_user_has_any_permission_for(self, user, actions):
        collections = super().collections_user_has_any_permission_for(user, actions)
        if HELD & set(actions):
            collections = collections.exclude(pk__in=held_collections().values("pk"))
        return collections

    def instances_user_has_any_permission_for(self, user, actions):
        images = super().instances_user_has_any_permission_for(user, actions)
        if "choose" not in actions:
            return images
        images = images.exclude(collection__in=held_collections())
        if self.chooses_every_image(user):
            return images
        return images.filter(Q(uploaded_by_user=user) | Q(pk__in=live_page_images()))

    def user_has_any_permission_for_instance(self, user, actions, instance):
        others = set(actions) - {"choose"}
        if others and super().user_has_any_permission_for_instance(user, others, instance):
            return True
        if "choose" not in actions or not super().user_has_any_permission_for_instance(user, ["choose"], instance):
            return False
        if held_collections().filter(pk=instance.collection_id).exists():
            return False
        return (
            self.chooses_every_image(user)
            or instance.uploaded_by_user_id == user.pk
            or live_page_images().filter(image_id=instance.pk).exists()
        )

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_any_permission_for_instance(user, [action], instance)


image_policy = NewsroomImagePermissionPolicy()
