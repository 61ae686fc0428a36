-- Attachment names cannot climb folders (security review L-4).
--
-- Owns: `private.attachment_customer_id` and `private.attachments_are_valid` (restated from
-- 20261121062000: same signatures, owners and grants; the storage policies and the activities
-- check call them unchanged).
--
-- Why: an object name such as `<own customer>/../<other customer>/contract.txt` passed the
-- storage policies (its first folder is the agent's own customer) and was stored as written;
-- the local file backend put it in the other customer's folder on disk. No cross-customer read
-- or overwrite followed (rows are matched by exact name), but any export, backup or tool that
-- treats names as paths would see the file under the wrong customer. Supabase Storage's file
-- backend refuses `.` and `..` segments (`InvalidKey … contains dot path segment`), its S3
-- backend stores such keys as they are, so the rule has to live here: a name with a `.` or `..`
-- segment, an empty folder (`//`) or a leading `/` belongs to no customer, and every policy that
-- asks `attachment_customer_id(name)` refuses it. Activity attachment paths follow the same rule.

create or replace function private.attachment_customer_id(object_name text) returns uuid
language sql immutable parallel safe set search_path = '' as $$
  -- The customer whose folder holds a Storage object (`<customer_id>/…`), or null when the first
  -- folder is not a uuid (a cast error inside a policy would fail the whole request instead), or
  -- when the name is not a plain relative path: a `.` or `..` segment, `//`, a leading `/`.
  select case
    when folder ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
      and object_name !~ '(^|/)\.\.?(/|$)'
      and strpos(object_name, '//') = 0
      and left(object_name, 1) <> '/'
    then folder::uuid
  end
  from (select (storage.foldername(object_name))[1] as folder) as path
$$;
comment on function private.attachment_customer_id(text) is 'The customer id a Storage object in the attachments bucket belongs to: its first folder, when that is a uuid and the name is a plain relative path (no . or .. segment, no //, no leading /); else null.';

create or replace function private.attachments_are_valid(attachments jsonb, customer_id uuid) returns boolean
language sql immutable parallel safe set search_path = '' as $$
  -- An array of at most 20 objects {path, name, size, mime}, each path inside the customer's folder.
  select jsonb_typeof(attachments) = 'array'
    and jsonb_array_length(attachments) <= 20
    and not exists (
      select 1
      from jsonb_array_elements(attachments) as item
      where jsonb_typeof(item) <> 'object'
         or jsonb_typeof(item -> 'path') is distinct from 'string'
         or jsonb_typeof(item -> 'name') is distinct from 'string'
         or jsonb_typeof(item -> 'size') is distinct from 'number'
         or jsonb_typeof(item -> 'mime') is distinct from 'string'
         or (item ->> 'size')::numeric < 0
         or length(item ->> 'name') not between 1 and 255
         or item ->> 'mime' !~ '^[a-z0-9.+-]+/[a-zA-Z0-9.+-]+$'
         or not starts_with(item ->> 'path', customer_id::text || '/')
         or length(item ->> 'path') > 1024
         or private.attachment_customer_id(item ->> 'path') is distinct from customer_id
         or (select count(*) from jsonb_object_keys(item)) <> 4
    )
$$;
comment on function private.attachments_are_valid(jsonb, uuid) is 'True when attachments is an array (≤ 20) of {path, name, size, mime} with every path a plain relative path under <customer_id>/ in the attachments bucket (see private.attachment_customer_id).';
