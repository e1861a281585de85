-- The audit trail is append-only. The service connects as the database owner
-- (which applies migrations), then switches to this role for everything else
-- (src/db/client.ts): it can add and read rows, never change or remove them.
-- Roles are cluster-wide, so create it only when missing.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'audit_writer') THEN
    CREATE ROLE audit_writer NOLOGIN;
  END IF;
END
$$;
--> statement-breakpoint
GRANT audit_writer TO CURRENT_USER;
--> statement-breakpoint
REVOKE ALL ON "audit_events" FROM audit_writer;
--> statement-breakpoint
GRANT SELECT, INSERT ON "audit_events" TO audit_writer;
--> statement-breakpoint
GRANT USAGE ON SEQUENCE "audit_events_id_seq" TO audit_writer;
