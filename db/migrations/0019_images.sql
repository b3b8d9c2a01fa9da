-- Photos on posts and portraits on profiles (issue 19). An image is what a person uploaded (its alt text, place and
-- original size); its variants are the WebP files served at content-addressed URLs. Variant bytes live here by
-- default, written in the same transaction as the post, so a backup stays one dump; with an S3 store configured
-- `bytes` is null and the object lives under its hash in the bucket.
create table images (
  id bigint generated always as identity primary key,
  owner_id bigint not null references users (id) on delete cascade,
  post_id bigint references posts (id) on delete cascade,
  -- a portrait belongs to the profile of its owner; a post photo to its post
  is_portrait boolean not null default false,
  position smallint not null default 0,
  alt text not null,
  width integer not null check (width > 0),
  height integer not null check (height > 0),
  created_at timestamptz not null default now(),
  check ((post_id is null) = is_portrait)
);
create index images_post on images (post_id, position) where post_id is not null;
create unique index images_one_portrait on images (owner_id) where is_portrait;

create table image_variants (
  image_id bigint not null references images (id) on delete cascade,
  width integer not null,
  height integer not null,
  -- base64url of the first 24 bytes of the SHA-256 of the bytes: the URL, the ETag and the S3 key
  hash text not null,
  byte_size integer not null,
  bytes bytea,
  primary key (image_id, width)
);
create index image_variants_hash on image_variants (hash);
-- WebP is compressed already: store the bytes out of line without trying to compress them again.
alter table image_variants alter column bytes set storage external;
