"""The office changes what WeChat shows of an approved article (cover image, digest) without a new review."""
