-- The owner's pages. Portable as 0001: only TEXT and BIGINT columns (times in Unix ms, flags 0/1).

-- An owner account. The password is an argon2id PHC string; NULL until the one-time link is used.
CREATE TABLE owners (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT,
    created_at BIGINT NOT NULL
);

-- One-time links to set a password (`kudos-server admin add`): only the SHA-256 of the token is
-- kept, so a copy of the database can't be used to sign in.
CREATE TABLE owner_links (
    token_hash TEXT PRIMARY KEY,
    owner_id TEXT NOT NULL REFERENCES owners (id) ON DELETE CASCADE,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);

-- Sessions, by the SHA-256 of their id. owner_id NULL: a visitor of the sign-in page, whose
-- session only carries the sign-in form's CSRF token (replaced by a new session at sign-in).
CREATE TABLE owner_sessions (
    id_hash TEXT PRIMARY KEY,
    owner_id TEXT REFERENCES owners (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX owner_sessions_expiry ON owner_sessions (expires_at);

-- Failed sign-ins per (account email, client address): five in 15 minutes lock that pair for 15
-- minutes. In the database so that every instance agrees.
CREATE TABLE sign_in_failures (
    email TEXT NOT NULL,
    ip TEXT NOT NULL,
    failures BIGINT NOT NULL,
    window_start BIGINT NOT NULL,
    locked_until BIGINT NOT NULL,
    PRIMARY KEY (email, ip)
);

-- Moderation: featured praise comes first on the wall; a corrected story keeps the visitor's text.
ALTER TABLE praise ADD COLUMN featured BIGINT NOT NULL DEFAULT 0;
ALTER TABLE praise ADD COLUMN original_story TEXT;
-- The signals' delivery attempt (honeypot and fill time are in 0001).
ALTER TABLE praise ADD COLUMN attempt BIGINT NOT NULL DEFAULT 1;
