"""A local HTTP server that behaves like the WeChat Official Account API, for tests and benchmarks."""
