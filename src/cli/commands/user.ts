// `hangar user ls|info|add|rm|update|block`: accounts (admin), as the drone CLI manages them.

import { Command } from 'commander';
import type { User } from '../../core/types.js';
import { clientAction, parseBool, required } from './action.js';
import { exitWithUsageCode } from './exit-codes.js';
import { columns, type PrintOptions, printItem, printList, withOutput } from './output.js';

const USER_TEMPLATE = `User: {{ .Login }}
Email: {{ .Email }}
Admin: {{ .Admin }}
Active: {{ .Active }}
Machine: {{ .Machine }}
`;

const USER_FIELDS = 'Login, Email, Admin, Active, Machine, Avatar, LastLogin';

const USER_COLUMNS = columns('Login', 'Email', 'Admin', 'Active', 'Machine');

/** The token of a created machine user comes back in the answer (drone-go's User has `token`). */
type CreatedUser = User & { token?: string };

const userUrl = (login: string | undefined) => `/api/users/${encodeURIComponent(required(login, 'user login'))}`;

export function userCommand(): Command {
  const user = new Command('user').description('manage users (admin)');
  clientAction<PrintOptions>(withOutput(user.command('ls').description('list all users'), USER_FIELDS), async (drone, _args, options) => {
    printList(await drone.list<User>('/api/users'), options, USER_COLUMNS);
  });
  clientAction<PrintOptions>(withOutput(user.command('info <login>').description('show a user'), USER_FIELDS), async (drone, [login], options) => {
    printItem(await drone.get<User>(userUrl(login)), options, USER_TEMPLATE);
  });
  clientAction<{ admin?: boolean; machine?: boolean; token?: string }>(
    user
      .command('add <login>')
      .description('add a user (a machine user gets an API token)')
      .option('--admin', 'administrator')
      .option('--machine', 'machine account (no SCM login)')
      .option('--token <token>', "the new user's API token (default: generated for machine accounts); yours: hangar -t or DRONE_TOKEN"),
    async (drone, [login], options) => {
      const created = await drone.post<CreatedUser>('/api/users', newUser(login ?? '', options));
      console.log(`Successfully added user ${created.login}`);
      if (created.token) console.log(`Generated account token ${created.token}`);
    },
    { ownsToken: true },
  );
  clientAction(user.command('rm <login>').description('remove a user'), async (drone, [login]) => {
    await drone.delete(userUrl(login));
    console.log(`Successfully removed user ${login}`);
  });
  clientAction<{ active?: boolean; admin?: boolean }>(
    user
      .command('update <login>')
      .description('update a user (only the flags given change)')
      .option('--active [bool]', 'active (true/false; alone: true)', parseBool)
      .option('--admin [bool]', 'administrator (true/false; alone: true)', parseBool),
    async (drone, [login], options) => {
      await drone.patch<User>(userUrl(login), { active: options.active, admin: options.admin });
      console.log(`Successfully updated user ${login}`);
    },
  );
  clientAction(user.command('block <login>').description('block a user (active: false)'), async (drone, [login]) => {
    await drone.patch<User>(userUrl(login), { active: false });
    console.log(`Successfully blocked user ${login}`);
  });
  return exitWithUsageCode(user);
}

/** drone-go's UserCreate sends the whole User, zero values included. */
function newUser(login: string, options: { admin?: boolean; machine?: boolean; token?: string }): Record<string, unknown> {
  return {
    id: 0,
    login,
    email: '',
    avatar_url: '',
    active: false,
    admin: Boolean(options.admin),
    machine: Boolean(options.machine),
    syncing: false,
    synced: 0,
    created: 0,
    updated: 0,
    last_login: 0,
    token: options.token ?? '',
  };
}
