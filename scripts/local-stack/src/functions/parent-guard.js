/* global Deno */
// Preloaded into every function's Deno process (`deno run --preload`): exits when the stack
// process that spawned it dies without stopping it (e.g. SIGKILL), so no orphaned function
// keeps its port. Plain JS so the Node TypeScript build never sees Deno globals. The timer is
// unref'd: Deno finishes preloads before the main module, and a ref'd timer would block it.
const parent = Deno.ppid;
const timer = setInterval(() => {
  try {
    const stat = Deno.readTextFileSync('/proc/self/stat');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid !== parent) Deno.exit(0);
  } catch {
    // /proc unavailable (not Linux): rely on the stack stopping its functions
    clearInterval(timer);
  }
}, 2000);
Deno.unrefTimer(timer);
