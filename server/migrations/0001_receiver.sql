-- The receiver's tables. One file for SQLite and PostgreSQL: only TEXT and BIGINT columns, so the
-- same statements run on both (flags are 0/1, times are Unix milliseconds).

-- One row per envelope id ever received: the idempotency record. It holds no personal data, so it
-- outlives erasure and retention (a late retry of an erased submission is answered, not stored again).
CREATE TABLE submissions (
    id TEXT PRIMARY KEY,
    site_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    reply TEXT NOT NULL,
    received_at BIGINT NOT NULL
);

CREATE TABLE praise (
    id TEXT PRIMARY KEY REFERENCES submissions (id) ON DELETE CASCADE,
    site_id TEXT NOT NULL,
    status TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    language TEXT NOT NULL,
    page_url TEXT NOT NULL,
    staff_name TEXT,
    staff_id TEXT,
    staff_role TEXT,
    staff_description TEXT,
    location TEXT,
    occurred_on TEXT,
    part_of_day TEXT,
    story TEXT NOT NULL,
    tags TEXT NOT NULL,
    visitor_name TEXT,
    visitor_email TEXT,
    publish_granted BIGINT NOT NULL,
    publish_version TEXT,
    contact_granted BIGINT NOT NULL,
    contact_version TEXT,
    honeypot_filled BIGINT NOT NULL,
    fill_time_ms BIGINT NOT NULL,
    widget_version TEXT NOT NULL,
    moderated_at BIGINT
);
CREATE INDEX praise_wall ON praise (site_id, status, publish_granted, received_at, id);
CREATE INDEX praise_status ON praise (status, received_at);
CREATE INDEX praise_visitor_email ON praise (visitor_email);

CREATE TABLE subscriptions (
    id TEXT PRIMARY KEY REFERENCES submissions (id) ON DELETE CASCADE,
    site_id TEXT NOT NULL,
    status TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    language TEXT NOT NULL,
    page_url TEXT NOT NULL,
    email TEXT NOT NULL,
    first_name TEXT,
    lists TEXT NOT NULL,
    consent_granted BIGINT NOT NULL,
    consent_version TEXT NOT NULL,
    consent_text_sha256 TEXT NOT NULL,
    consent_given_at TEXT NOT NULL,
    honeypot_filled BIGINT NOT NULL,
    fill_time_ms BIGINT NOT NULL,
    widget_version TEXT NOT NULL
);
CREATE INDEX subscriptions_email ON subscriptions (email);

CREATE TABLE staff (
    site_id TEXT NOT NULL,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    role TEXT,
    location TEXT,
    nicknames TEXT NOT NULL,
    email TEXT,
    manager_email TEXT,
    active BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (site_id, id)
);
