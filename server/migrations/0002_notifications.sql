-- Notifications: the job queue, the record of every message sent, signed links and the secret
-- that signs them. Portable like 0001: TEXT and BIGINT only, times in Unix milliseconds.

-- The queue. A job is the work one state change causes (a praise received, a praise approved,
-- a week ended). `dedupe_key` makes enqueueing idempotent: approving a praise twice enqueues its
-- notices once. Jobs hold ids only, never an address or a story: recipients are looked up when
-- the job runs, so erasing a person needs nothing here.
CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    dedupe_key TEXT NOT NULL UNIQUE,
    -- queued | running | done | failed
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    max_attempts BIGINT NOT NULL,
    run_at BIGINT NOT NULL,
    -- The lease: a running job whose lease has passed was claimed by a process that died.
    locked_until BIGINT,
    lock_token TEXT,
    last_error TEXT,
    outcome TEXT,
    created_at BIGINT NOT NULL,
    finished_at BIGINT
);
CREATE INDEX jobs_due ON jobs (status, run_at);

-- One row per (event, recipient, kind) ever sent: the exactly-once record. `key` is a SHA-256
-- of the three, so no address is kept here.
CREATE TABLE deliveries (
    key TEXT PRIMARY KEY,
    job_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    message_id TEXT NOT NULL,
    -- sending (an attempt started) | sent (the receiving server accepted it)
    state TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    started_at BIGINT NOT NULL,
    sent_at BIGINT
);
CREATE INDEX deliveries_subject ON deliveries (subject);

-- Signed links that have been used (single use): a hash of the link's use key.
CREATE TABLE used_links (
    key TEXT PRIMARY KEY,
    purpose TEXT NOT NULL,
    subject TEXT NOT NULL,
    used_at BIGINT NOT NULL
);

-- Secrets generated once and shared by every instance (the link-signing key when `secret_key`
-- is not configured).
CREATE TABLE server_secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- Whether a staff member wants to hear about praise themselves (1: yes, the default).
ALTER TABLE staff ADD COLUMN wants_email BIGINT NOT NULL DEFAULT 1;
