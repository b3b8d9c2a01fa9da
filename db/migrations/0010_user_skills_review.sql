-- User-made skills are reviewed before others are offered them: until an admin accepts one (or merges it into a
-- canonical skill), it is suggested only to the person who made it. It still shows on its creator's profile and
-- posts, and text typed by others that names it exactly still resolves to it (so /admin/skills can count users).
alter table skills add column accepted_at timestamptz;
create index skills_user_unreviewed on skills (created_at desc) where source = 'user' and accepted_at is null and merged_into_id is null;
