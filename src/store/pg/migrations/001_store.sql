-- The bot's store: subscribers, what was announced, question statistics, broadcast jobs with one
-- row per recipient, processed update ids and conversations.

-- Chats subscribed to topics; a chat that refused a message is 'blocked' (paused, kept).
CREATE TABLE subscribers (
  chat_id bigint PRIMARY KEY,
  chat_type text NOT NULL,
  topics text[] NOT NULL,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'blocked')),
  since timestamptz NOT NULL,
  blocked_at timestamptz,
  -- subscription order (recipients are listed in it)
  position bigserial NOT NULL
);
CREATE INDEX subscribers_position ON subscribers (position);

-- What was announced: session previews, article headlines, reminders (`<session>@<kind>`).
CREATE TABLE events (
  kind text NOT NULL CHECK (kind IN ('sessions', 'articles', 'reminders')),
  key text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (kind, key)
);

-- Questions answered and declined (one row), and the declined questions with how often.
CREATE TABLE stats (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  answered bigint NOT NULL DEFAULT 0,
  declined bigint NOT NULL DEFAULT 0
);
INSERT INTO stats (id) VALUES (true);

CREATE TABLE unanswered_questions (
  question text PRIMARY KEY,
  count bigint NOT NULL
);
CREATE INDEX unanswered_questions_count ON unanswered_questions (count DESC);

-- Broadcast jobs. The id is derived from what is announced, so one announcement is one job.
CREATE TABLE broadcasts (
  id text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('preview', 'reminder', 'articles', 'admin')),
  html text NOT NULL,
  created_at timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'done')),
  finished_at timestamptz,
  -- when the message is no longer worth sending; null: 24 hours after created_at
  expires_at timestamptz,
  resend_of text,
  -- an admin's message that shows the progress
  progress_chat_id bigint,
  progress_message_id bigint,
  -- a finished job copied from an embedded store (DATA_DIR) keeps its counts, not its chats: those
  -- delivered to and blocked have no recipient row and are counted here
  imported_recipients integer NOT NULL DEFAULT 0,
  imported_delivered integer NOT NULL DEFAULT 0,
  imported_blocked integer NOT NULL DEFAULT 0,
  -- queue order
  position bigserial NOT NULL
);
CREATE INDEX broadcasts_unfinished ON broadcasts (position) WHERE status <> 'done';

-- One row per recipient of a job, in sending order. A worker claims pending rows with
-- SELECT … FOR UPDATE SKIP LOCKED, setting claimed_by and lease_until; a row whose lease passed
-- may be claimed again.
CREATE TABLE broadcast_recipients (
  broadcast_id text NOT NULL REFERENCES broadcasts (id) ON DELETE CASCADE,
  chat_id bigint NOT NULL,
  position integer NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'blocked', 'failed')),
  claimed_by text,
  lease_until timestamptz,
  -- when the status last changed (outcomes are listed in this order)
  updated_at timestamptz,
  -- order of outcomes within one job
  outcome_seq bigint,
  PRIMARY KEY (broadcast_id, chat_id)
);
CREATE INDEX broadcast_recipients_pending ON broadcast_recipients (broadcast_id, position) WHERE status = 'pending';
CREATE SEQUENCE broadcast_outcome_seq;

-- Telegram update ids already handled by some worker (a redelivered update is handled once).
CREATE TABLE processed_updates (
  update_id bigint PRIMARY KEY,
  processed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX processed_updates_at ON processed_updates (processed_at);

-- Per-chat conversation state (follow-up questions), shared by the workers.
CREATE TABLE conversations (
  chat_id text PRIMARY KEY,
  state jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conversations_updated_at ON conversations (updated_at);
