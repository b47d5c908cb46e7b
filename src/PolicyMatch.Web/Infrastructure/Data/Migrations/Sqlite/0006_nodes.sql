-- 0006: what several web nodes share through the database instead of holding in memory.

-- ASP.NET Core data-protection keys (DbXmlRepository): every node signs and reads cookies and
-- antiforgery tokens with the same key ring, so a login on one node is valid on the others.
CREATE TABLE data_protection_keys (
    name        TEXT PRIMARY KEY,   -- the key's file-style name, key-{guid}
    xml         TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

-- One row: a counter bumped in the same transaction as any change to the published catalog
-- (seeding, import, publish, retire). Each node compares it with the version its in-memory catalog
-- was loaded at, and reloads when it moved (CatalogCache).
CREATE TABLE catalog_state (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    version  BIGINT NOT NULL
);
INSERT INTO catalog_state (id, version) VALUES (1, 1);
