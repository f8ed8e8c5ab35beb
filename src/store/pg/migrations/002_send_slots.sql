-- The send rate shared by every worker: per limit (one per bot token), the time of the next send
-- slot nobody holds yet, in microseconds since the epoch by the database's clock. A worker takes
-- the next few slots by moving it forward in one UPDATE … RETURNING (src/cluster/shared-rate.ts).
CREATE TABLE send_slots (
  name text PRIMARY KEY,
  next_us bigint NOT NULL
);
