-- Every instance keeps the totals of broad searches for a while (counting 100,000 posts is slow). A write to the
-- search tables, from any instance or command, tells all of them to forget those totals: PostgreSQL delivers the
-- notification on commit to every connection that listens on `search_changed`.
create function notify_search_changed() returns trigger language plpgsql as $$
begin
  perform pg_notify('search_changed', tg_table_name);
  return null;
end
$$;

create trigger search_posts_changed after insert or update or delete or truncate on search_posts
  for each statement execute function notify_search_changed();

create trigger search_people_changed after insert or update or delete or truncate on search_people
  for each statement execute function notify_search_changed();
