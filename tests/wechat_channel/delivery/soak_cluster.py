"""django-q2 clusters as real processes for the fault soak: started, killed (SIGKILL) and stopped by group."""

from tests.live_processes import LiveProcess


class Cluster(LiveProcess):
    """`manage.py qcluster` on the soak's queue and the test database (`soak_settings.py` beside this file)."""

    def __init__(self, name, queue, db_name, log_dir, workers=2):
        env = {
            "DJANGO_SETTINGS_MODULE": "tests.wechat_channel.delivery.soak_settings",
            "SOAK_QUEUE": queue,
            "SOAK_DB_NAME": str(db_name),
            "SOAK_WORKERS": str(workers),
        }
        super().__init__(name, ["qcluster"], env, log_dir)
