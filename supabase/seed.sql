-- Demo data for local development, applied by `npm run db:reset` and on a fresh `npm run dev`.
-- The data model and its demo rows arrive with the core data model (issue 3).
select 1;
