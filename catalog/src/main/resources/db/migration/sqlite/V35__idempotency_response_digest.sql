-- A response too large to keep is recorded by its SHA-256 (hex) with an empty body, and a retry is
-- answered with the object's current state; NULL when the body itself is kept.
ALTER TABLE idempotency_records ADD COLUMN response_digest TEXT;
