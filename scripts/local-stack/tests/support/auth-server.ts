/**
 * A second, auth-only server over the test instance's database, started by a test with an
 * explicit override of config.toml's `[auth]` settings. For behaviour the project config does
 * not have — sign-up off (as before the shopper portal), autoconfirm — which GoTrue still has and
 * which must stay right, and for a mailbox of its own. The project config itself is never changed
 * for tests.
 */
import { createServer } from 'node:net';
import type { OutgoingMail, StackContext } from '../../src/context.ts';
import { startAuth } from '../../src/auth/server.ts';
import { createPool } from '../../src/lib/db.ts';
import { createLogger } from '../../src/lib/log.ts';
import { loadSettings, type AuthSettings } from '../../src/settings.ts';
import { config } from '../../src/testing.ts';

export interface AuthOverride {
  enableSignup?: boolean;
  enableConfirmations?: boolean;
}

export interface ExtraAuthServer {
  /** GoTrue's own paths live here (`/signup`, `/token`…), without the gateway's `/auth/v1`. */
  url: string;
  /** Mail this server sent (it does not use the mail catcher). */
  mails: OutgoingMail[];
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export async function startAuthServer(override: AuthOverride): Promise<ExtraAuthServer> {
  const settings = loadSettings(config.root);
  const auth: AuthSettings = {
    ...settings.auth,
    enableSignup: override.enableSignup ?? settings.auth.enableSignup,
    email: {
      ...settings.auth.email,
      enableConfirmations: override.enableConfirmations ?? settings.auth.email.enableConfirmations,
    },
  };
  const port = await freePort();
  const mails: OutgoingMail[] = [];
  const db = createPool(config.adminDbUrl, 4);
  const ctx: StackContext = {
    config: { ...config, ports: { ...config.ports, auth: port } },
    settings: { ...settings, auth },
    db,
    log: createLogger('auth-override'),
    mail: {
      deliver: (mail) => {
        mails.push(mail);
        return Promise.resolve({ id: String(mails.length) });
      },
    },
  };
  const service = await startAuth(ctx);
  return {
    url: `http://127.0.0.1:${port}`,
    mails,
    close: async () => {
      await service.close();
      await db.end();
    },
  };
}
