-- Slack, Teams and outgoing webhooks. Portable as 0001: TEXT and BIGINT only, times in Unix ms.
--
-- Each delivery is a job of the queue (0002: kind `webhook`, subject `PRAISE|EVENT|TARGET`);
-- this table is its log: one row per attempt, for the owner's delivery log. It never holds a
-- URL, a secret, a name or a story: the target's kind (slack, teams, webhook), the HTTP status
-- or a short error, and which attempt it was.
CREATE TABLE webhook_attempts (
    id TEXT PRIMARY KEY,
    job_id TEXT NOT NULL,
    site_id TEXT NOT NULL,
    praise_id TEXT NOT NULL,
    -- praise.received | praise.approved
    event TEXT NOT NULL,
    -- slack | teams | webhook
    target TEXT NOT NULL,
    attempt BIGINT NOT NULL,
    at BIGINT NOT NULL,
    -- The receiver's HTTP status; NULL when no answer came (refused, timed out).
    status_code BIGINT,
    -- NULL when delivered.
    error TEXT,
    duration_ms BIGINT NOT NULL
);
CREATE INDEX webhook_attempts_at ON webhook_attempts (at);
CREATE INDEX webhook_attempts_job ON webhook_attempts (job_id);
