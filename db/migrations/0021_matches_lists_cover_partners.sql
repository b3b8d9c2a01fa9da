-- An incremental update reads the top of every met side's stored list, one partner type at a time (posts, then
-- people). With the partner's columns in the index, the scan filters by partner type and answers from the index
-- alone where the table's pages are all-visible (all of them after a full recompute, which writes with COPY FREEZE),
-- instead of visiting a table row, somewhere in a million, for every entry it passes.
drop index matches_need_post;
drop index matches_offer_post;
drop index matches_need_person;
drop index matches_offer_person;
create index matches_need_post on matches (need_post_id, score desc) include (offer_user_id, offer_post_id) where need_post_id is not null;
create index matches_offer_post on matches (offer_post_id, score desc) include (need_user_id, need_post_id) where offer_post_id is not null;
create index matches_need_person on matches (need_user_id, score desc) include (offer_user_id, offer_post_id) where need_post_id is null;
create index matches_offer_person on matches (offer_user_id, score desc) include (need_user_id, need_post_id) where offer_post_id is null;
