-- Limits on files in the attachments bucket (issue 14: files on notes and messages).
--
-- Owns the bucket's size and type limits: at most 10 MB a file, and only documents and images
-- people exchange with customers (no executables, scripts or HTML, which a browser could run when
-- a colleague opens them). Storage refuses anything else, for every caller, with 413
-- (EntityTooLarge) or 415 (InvalidMimeType); the app says so before uploading and the
-- inbound-email function lists such files as refused on the mail instead of storing them.

update storage.buckets
set file_size_limit = 10 * 1024 * 1024,
    allowed_mime_types = array[
      'image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/heic',
      'application/pdf', 'text/plain', 'text/csv',
      'application/msword', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'application/vnd.ms-excel', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'application/vnd.oasis.opendocument.text', 'application/vnd.oasis.opendocument.spreadsheet',
      'application/zip', 'message/rfc822'
    ]
where id = 'attachments';
