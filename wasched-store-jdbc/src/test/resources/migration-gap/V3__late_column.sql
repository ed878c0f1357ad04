-- A version that arrives after a later one was applied (MigrationTest).
ALTER TABLE wasched_template ADD COLUMN late VARCHAR;
