-- Request counts per limit, key and fixed time window, shared by every instance (e.g. the open-data feeds'
-- 60 requests a minute per client address). Old windows are removed as new ones are counted.
create table rate_limit_windows (
  scope text not null,
  key text not null,
  window_start timestamptz not null,
  count integer not null,
  primary key (scope, key, window_start)
);
create index rate_limit_windows_start on rate_limit_windows (window_start);
