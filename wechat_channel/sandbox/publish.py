"""Publishing jobs and publications behind `freepublish/*` (WECHAT.md §4).

A submitted draft leaves the draft box and becomes a job in status 1; when the job finishes (see `jobs.py`)
it ends in 0 with an `article_id` and one page per article, or in 2/3/4 with `fail_idx` when a job fault
rolls (`faults.JobFaults`). Either way a `PUBLISHJOBFINISH` event goes to the account's callback URL.

A job that ends in 3 (常规失败, a failure of the platform) leaves a backup of its draft in the draft box, under a
new media_id: WeChat's 草稿箱功能说明 (official, developers.weixin.qq.com/community/develop/doc/
0008424a0a43a892211d59cb351c09), section 五: "若在发表过程中出现系统失败，草稿箱中会保留这份草稿的备份". Whether the
backup keeps the submitted media_id is not documented; a new one is the case a client cannot take for granted.
Nothing is said of 2 (originality) and 4 (review), whose content must change anyway: no backup is kept for them.
"""

import itertools
import secrets
import threading
import time
from dataclasses import dataclass, field

PUBLISHING, SUCCESS, DELETED = 1, 0, 5
SYSTEM_FAILURE = 3  # 常规失败: the draft box keeps a backup


def fresh_ids(base):
    """Ids from `base` on, offset by the start time: WeChat never hands out an id twice, so a restarted sandbox
    must not either (the site keys result events and pushes by these ids)."""
    return itertools.count(base + int(time.time() * 10) % 10**8 * 10)


# Live ids are numbers of this size (`publish_id` 2247503051 in §4.4); msg_data_id is shared with mass sends.
publish_ids = fresh_ids(2247503051)
msg_data_ids = fresh_ids(2247483650)
_id_lock = threading.Lock()


def next_id(counter):
    with _id_lock:
        return next(counter)


@dataclass
class PublishJob:
    """One `freepublish/submit`; `pages` are filled in on success (one per article, in order)."""

    publish_id: int
    msg_data_id: int
    appid: str
    articles: list[dict]
    host: str
    submitted_at: float
    status: int = PUBLISHING
    article_id: str | None = None
    fail_idx: list[int] = field(default_factory=list)
    pages: list = field(default_factory=list)
    update_time: int = 0
    backup_media_id: str | None = None  # the draft box's backup after a failure of the platform (3)

    def status_body(self):
        """The `freepublish/get` answer (§4.2); article fields only once the job has succeeded."""
        body = {"publish_id": self.publish_id, "publish_status": self.status}
        if self.article_id is not None:
            body["article_id"] = self.article_id
            body["article_detail"] = {
                "count": len(self.pages),
                "item": [{"idx": i, "article_url": p.url} for i, p in enumerate(self.pages, start=1)],
            }
        body["fail_idx"] = list(self.fail_idx)
        return body

    def live_article_count(self):
        """How many articles a comment may address, or None when nothing was published or all is deleted."""
        if self.status == PUBLISHING:
            return len(self.articles)
        if self.status not in (SUCCESS, DELETED) or all(p.deleted for p in self.pages):
            return None
        return len(self.pages)


class PublishDesk:
    """All publishing jobs of the sandbox, by publish_id and by article_id."""

    def __init__(self, sandbox):
        self.sandbox = sandbox
        self.lock = threading.RLock()
        self.jobs: dict[int, PublishJob] = {}
        self.by_article: dict[str, PublishJob] = {}

    def submit(self, appid, draft, now):
        """Accept a draft (already removed from the draft box) and schedule the job's end."""
        job = PublishJob(
            next_id(publish_ids), next_id(msg_data_ids), appid, [dict(a) for a in draft.articles], draft.host, now
        )
        with self.lock:
            self.jobs[job.publish_id] = job
        self.sandbox.scheduler.submit(self.sandbox.job_settings.publish_delay, lambda: self.finish(job))
        return job

    def finish(self, job):
        """End a job as the job faults decide and push PUBLISHJOBFINISH."""
        status, fail_idx = self.sandbox.faults.publish_outcome(len(job.articles))
        now = self.sandbox.state.clock.now()
        with self.lock:
            if job.status != PUBLISHING or self.jobs.get(job.publish_id) is not job:
                return  # already finished, or forgotten by a reset
            job.status, job.fail_idx, job.update_time = status, fail_idx, int(now)
            if status == SUCCESS:
                # live article ids look like `b5O2OUs25HBxRceL7hfReg-U9QGeq9zQjiDvyWP4Hq4` (43 characters)
                job.article_id = secrets.token_urlsafe(32)[:43]
                job.pages = [self.sandbox.pages.publish(job.appid, a, job.host, now) for a in job.articles]
                self.by_article[job.article_id] = job
            elif status == SYSTEM_FAILURE:
                backup = self.sandbox.drafts.add(job.appid, [dict(a) for a in job.articles], job.host, now)
                job.backup_media_id = backup.media_id
        self.sandbox.notifier.publish_finished(job)

    def get(self, appid, publish_id):
        """The job for a publish_id given as number or digit string, or None."""
        try:
            key = int(publish_id)
        except (TypeError, ValueError):
            return None
        with self.lock:
            job = self.jobs.get(key)
        return job if job is not None and job.appid == appid else None

    def by_article_id(self, appid, article_id):
        with self.lock:
            job = self.by_article.get(article_id) if isinstance(article_id, str) else None
        return job if job is not None and job.appid == appid else None

    def delete(self, job, index):
        """§4.3: 1-based `index`, 0 = every article; the job then reports status 5."""
        with self.lock:
            targets = job.pages if index == 0 else [job.pages[index - 1]]
            for page in targets:
                page.deleted = True
            job.status = DELETED

    def published(self, appid):
        """Successful publications of the account, newest first (`freepublish/batchget`)."""
        with self.lock:
            mine = [j for j in self.jobs.values() if j.appid == appid and j.status == SUCCESS]
        return sorted(mine, key=lambda j: (j.update_time, j.publish_id), reverse=True)

    def article_count(self, msg_data_id):
        with self.lock:
            for job in self.jobs.values():
                if job.msg_data_id == msg_data_id:
                    return job.live_article_count()
        return None

    def clear(self):
        with self.lock:
            self.jobs.clear()
            self.by_article.clear()
