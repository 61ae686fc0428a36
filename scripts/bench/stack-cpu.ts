/**
 * CPU seconds used so far by the processes of one local-stack instance (its supervisor — the
 * stack's node process: gateway, functions router, emulators — and everything it started:
 * Postgres with its backends, PostgREST, each Deno function worker), by kind, read from /proc.
 * The difference over a run, divided by its work, is a cost that moves far less with a shared
 * machine's load than wall time does. Linux only.
 */
import { readdirSync, readFileSync } from 'node:fs';

export function stackCpuSeconds(dataDir: string): Map<string, number> {
  const pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  const supervisors = new Set<number>();
  for (const pid of pids) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('supervisor.ts')) continue;
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      if (environ.includes(`CAIRN_STACK_DATA_DIR=${dataDir}`)) supervisors.add(Number(pid));
    } catch {
      // ended meanwhile, or not ours to read
    }
  }
  const parents = new Map<number, number>();
  const used = new Map<number, number>();
  const names = new Map<number, string>();
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(pid), Number(fields[1]));
      used.set(Number(pid), (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / 100);
      let name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (name.startsWith('deno')) {
        const fn = /shopify-[a-z]+|[a-z]+-[a-z-]+(?=\/index\.ts)/.exec(
          readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' '),
        );
        name = `deno ${fn?.[0] ?? ''}`.trim();
      }
      names.set(Number(pid), name);
    } catch {
      // gone already
    }
  }
  const totals = new Map<string, number>();
  for (const [pid, seconds] of used) {
    let kind: string | null = supervisors.has(pid) ? 'stack (node)' : null;
    for (let at = pid, depth = 0; !kind && depth < 4 && at > 1; depth++, at = parents.get(at) ?? 0) {
      if (supervisors.has(parents.get(at) ?? 0)) kind = names.get(at) ?? null;
    }
    if (kind) totals.set(kind, (totals.get(kind) ?? 0) + seconds);
  }
  return totals;
}
