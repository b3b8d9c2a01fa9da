-- Each side's stored list read best first, so an incremental update reads only the top of a list (a popular
-- person's profile can be in thousands of lists). The post indexes replace the plain ones of 0004.
drop index matches_need_post;
drop index matches_offer_post;
create index matches_need_post on matches (need_post_id, score desc) where need_post_id is not null;
create index matches_offer_post on matches (offer_post_id, score desc) where offer_post_id is not null;
create index matches_need_person on matches (need_user_id, score desc) where need_post_id is null;
create index matches_offer_person on matches (offer_user_id, score desc) where offer_post_id is null;
