"""What the site's long-running processes (web, task workers) do once started."""
