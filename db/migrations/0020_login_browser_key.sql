-- The browser that asked for a sign-in link gets a random key in a short-lived cookie; the token row keeps its
-- SHA-256. Opening the link in that browser signs in at once; anywhere else (another device, a mail scanner that
-- fetches links) the page still only shows the "sign in now" button, so the token is not used up by a GET.
alter table login_tokens add column browser_key_hash text;
