"""What the deploy tests share besides fixtures: the host name the deploy files are written for."""

SITE_HOST = "news.example.edu.cn"  # deploy/nginx/newsroom.conf's server_name, in the production ALLOWED_HOSTS
