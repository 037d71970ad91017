-- nithet_guard(ok): raises serialization_failure (40001) when ok is false. A conversation write is one statement
-- of data-modifying CTEs; when its optimistic version check (or a single-use check such as an invite) loses a race,
-- the guard aborts the whole statement atomically and the caller reloads and retries.
CREATE OR REPLACE FUNCTION nithet_guard(ok boolean, what text) RETURNS boolean
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  IF ok IS NOT TRUE THEN
    RAISE EXCEPTION 'nithet write conflict: %', what USING ERRCODE = '40001';
  END IF;
  RETURN true;
END
$$;
--> statement-breakpoint
-- The channel configured in env (LINE_CHANNEL_SECRET / LINE_CHANNEL_ACCESS_TOKEN): its credentials live in env, not here.
INSERT INTO line_channels (id, name) VALUES ('default', 'env channel') ON CONFLICT (id) DO NOTHING;
