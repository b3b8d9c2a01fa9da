-- One send pacer for every instance: the provider's rate limit is per account (Resend: per team), so the next
-- free request slot is kept here and claimed atomically by every sender of every process.
create table mail_send_pacer (
  name text primary key,
  next_at timestamptz not null default now()
);

-- Run counts come from the digest rows, so they stay true when a run dies: the run that planned a row (run_id),
-- the run that settled it (sent, skipped or failed), and the run whose request is in flight for it right now.
alter table digests add column settled_run_id bigint references digest_runs (id) on delete set null;
alter table digests add column sending_run_id bigint references digest_runs (id) on delete set null;
create index digests_run on digests (run_id);
create index digests_settled_run on digests (settled_run_id);

-- Why a run stopped early ('quota': the provider's daily or monthly quota is used up), for the admin page.
alter table digest_runs add column stop_reason text check (stop_reason in ('quota'));
