"""Pages turned into WeChat articles: safe HTML, re-hosted images, limits, and the phone preview."""
