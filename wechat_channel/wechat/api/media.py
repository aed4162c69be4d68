"""Media (WECHAT.md §2): images for article content, covers as permanent material."""

from wechat_channel.wechat.api.base import Area
from wechat_channel.wechat.transport import named_file


class Media(Area):
    def upload_content_image(self, image):
        """Upload an `ImageFile` (jpg/png, < 1 MB) for article content; its WeChat URL."""
        api = self.client.api
        return self.client.call("media/uploadimg", lambda: api.media.upload_image(named_file(image)))

    def add_cover(self, image):
        """Upload an `ImageFile` as permanent image material (≤ 10 MB); its media_id."""
        api = self.client.api
        result = self.client.call("material/add_material", lambda: api.material.add("image", named_file(image)))
        return result["media_id"]
