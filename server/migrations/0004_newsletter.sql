-- The newsletter's double opt-in. Portable as 0001: only TEXT and BIGINT columns (times in Unix
-- ms). `subscriptions` (0001) stays the record of each sign-up envelope as received; these tables
-- hold the person's subscription per list, the consent ledger and the sending caps.

-- Where the sign-up came from, truncated (/24 for IPv4, /48 for IPv6): part of the consent record.
ALTER TABLE subscriptions ADD COLUMN ip_prefix TEXT;

-- One row per (site, list, address): never a second pending record for the same person and list.
-- status: pending | confirmed | unsubscribed. The consent fields are those of the request the
-- person confirmed (or will confirm): wording version, SHA-256 of the exact text shown, language,
-- when it was given (the widget's clock) and received (ours), and the truncated address.
CREATE TABLE newsletter_subscribers (
    id TEXT PRIMARY KEY,
    site_id TEXT NOT NULL,
    list_id TEXT NOT NULL,
    email TEXT NOT NULL,
    email_key TEXT NOT NULL,
    first_name TEXT,
    language TEXT NOT NULL,
    status TEXT NOT NULL,
    request_id TEXT NOT NULL,
    consent_version TEXT NOT NULL,
    consent_text_sha256 TEXT NOT NULL,
    consent_given_at TEXT NOT NULL,
    consent_received_at BIGINT NOT NULL,
    consent_ip_prefix TEXT,
    created_at BIGINT NOT NULL,
    confirmed_at BIGINT,
    unsubscribed_at BIGINT,
    UNIQUE (site_id, list_id, email_key)
);
CREATE INDEX newsletter_subscribers_request ON newsletter_subscribers (request_id);
CREATE INDEX newsletter_subscribers_email ON newsletter_subscribers (email_key);

-- The consent ledger: every request, confirmation and withdrawal, with its time. Kept while the
-- subscription is; erasing the person removes it.
CREATE TABLE newsletter_ledger (
    id TEXT PRIMARY KEY,
    subscriber_id TEXT NOT NULL,
    email_key TEXT NOT NULL,
    -- requested | confirmed | unsubscribed
    event TEXT NOT NULL,
    at BIGINT NOT NULL,
    request_id TEXT,
    consent_version TEXT,
    consent_text_sha256 TEXT,
    ip_prefix TEXT,
    -- how: link | one_click | owner
    via TEXT
);
CREATE INDEX newsletter_ledger_subscriber ON newsletter_ledger (subscriber_id, at);

-- The emails sent to an address about the newsletter (confirmation, "already subscribed"), for
-- the caps. The address is kept as a SHA-256 only.
CREATE TABLE newsletter_mails (
    email_key TEXT NOT NULL,
    kind TEXT NOT NULL,
    request_id TEXT NOT NULL,
    sent_at BIGINT NOT NULL,
    PRIMARY KEY (email_key, request_id)
);
