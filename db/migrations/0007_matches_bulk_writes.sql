-- The full match recompute writes every match anew (about 20 per post). Row-level foreign keys cost one
-- lookup per row and per key on that write; removing a post's or a person's matches when the row is deleted
-- is done once per statement by the triggers below instead. The person indexes served only those cascades
-- (the owner columns are indexed through matches_pair and matches_offer_user).
alter table matches drop constraint matches_need_post_id_fkey;
alter table matches drop constraint matches_offer_post_id_fkey;
alter table matches drop constraint matches_need_person_id_fkey;
alter table matches drop constraint matches_offer_person_id_fkey;
drop index matches_need_person;
drop index matches_offer_person;

create function delete_matches_of_deleted_posts() returns trigger language plpgsql as $$
begin
  delete from matches m using deleted d where m.need_post_id = d.id;
  delete from matches m using deleted d where m.offer_post_id = d.id;
  return null;
end $$;

create trigger posts_delete_matches after delete on posts
  referencing old table as deleted for each statement execute function delete_matches_of_deleted_posts();

-- A deleted user's profile sides and posts (their posts' own deletion cascades too).
create function delete_matches_of_deleted_users() returns trigger language plpgsql as $$
begin
  delete from matches m using deleted d where m.need_user_id = d.id;
  delete from matches m using deleted d where m.offer_user_id = d.id;
  return null;
end $$;

create trigger users_delete_matches after delete on users
  referencing old table as deleted for each statement execute function delete_matches_of_deleted_users();
