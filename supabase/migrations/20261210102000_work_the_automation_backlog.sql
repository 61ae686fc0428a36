-- The engine's schedule keeps up with a burst of trigger events (issue 16: "the automation engine
-- handles 10 000 trigger events per minute").
--
-- Why: the pg_cron job run-automation-flows (20261208110200) takes one chunk of 500 passages a
-- minute, so the schedule moved at most 500 passages a minute however fast a chunk is: a tag
-- added to 10 000 customers, or an import creating them, waited 20 minutes to go through. The
-- engine itself (public.run_flows, 20261210100000) does a chunk of 500 simple passages in about
-- 2 s on the shared machine.
--
-- Owns the pg_cron jobs work-automation-backlog and work-automation-backlog-2: each every 5
-- seconds, when passages are due, one chunk of 500 (public.run_flows, which also sweeps the
-- scheduled triggers: at most batch_size new passages per flow). Two workers, as the bench runs
-- the engine: they never share a passage (skip locked), so a burst uses two cores. pg_cron runs
-- one instance of a job at a time and queues a run that comes due meanwhile, starting it as soon
-- as the running one completes: while passages are due each worker runs chunk after chunk. When
-- nothing is due a job costs one look-up of flow_enrolments_due_idx. run-automation-flows stays
-- as it is: it also sweeps the scheduled triggers (inactive for N days, an alert clicked without
-- an order) when nothing is due. Modelled on segment-actions (20261208120000).

select cron.unschedule(j.jobid) from cron.job j where j.jobname in ('work-automation-backlog', 'work-automation-backlog-2');
select cron.schedule(
  w.jobname,
  '5 seconds',
  $$select public.run_flows(500)
    where exists (select 1 from public.flow_enrolments en
                  join public.flows f on f.id = en.flow_id and f.status = 'active'
                  where en.state = 'active' and en.next_run_at <= now())$$
)
from (values ('work-automation-backlog'), ('work-automation-backlog-2')) as w (jobname);
