-- Skill suggestions as you type: label prefixes are found through a byte-ordered btree (a range scan, also in
-- generic plans of prepared statements), typos through the trigram index; no sequential scan of all labels.
create index skill_labels_prefix on skill_labels ((normalized collate "C"));
