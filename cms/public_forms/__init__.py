"""What the site's public forms share — the contribution form (A6.1, A6.2.5) and the report form (A6.5.2): who is
asking (`visitors.client_ip`), how often they may (`ratelimit`), and the page a form refused by the CSRF check
answers with (`csrf`)."""
