// tokenctl, the operator CLI (docs/architecture.md, "Operator plane"): parses argv with node's util.parseArgs (strict), dispatches to
// cli/commands.ts, prints JSON (`--json`) or short lines, and maps outcomes to exit codes:
// 0 success, 1 error (message on stderr), 2 usage.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DEFAULT_API_BASE_URL, type Config } from '../shared/platform/config';
import { ApiTokenAccessDisabledError, ServiceUnavailableError } from '../shared/domain/errors';
import { parseId } from '../shared/domain/ids';
import { ACCOUNT_STATUSES, PLANS, ROLES } from '../shared/domain/model';
import { operatorContext } from '../shared/domain/audit-entries';
import { getServices, type ProductionServices } from '../shared/runtime/services';
import * as commands from './commands';

/** Base of `url` fields when API_BASE_URL is not set: the local stack's address (docs/architecture.md, "Local stack"). */
const OPERATOR_USER_AGENT = 'tokenctl';

export const USAGE = `Usage:
  tokenctl accounts create <accountId> --name <name> [--plan team|growth|professional|enterprise|enterprise_plus] [--legacy] [--api-token-access on|off] [--json]
  tokenctl accounts update <accountId> [--plan <plan>] [--api-token-access on|off] [--status active|suspended]
                           [--api-token-max-lifetime-days <days>|none] [--api-token-inactivity-days <days>|none]
                           [--api-token-deactivated-retention-days <days>|none] [--json]
  tokenctl accounts show <accountId> [--json]
  tokenctl users add <accountId> <email> [--name <name>] [--role admin|agent|end_user] [--unverified] [--json]
  tokenctl users update <accountId> <email> [--role <role>] [--verified true|false] [--suspended true|false] [--json]
  tokenctl users remove <accountId> <email> [--json]
  tokenctl users list <accountId> [--json]
  tokenctl tokens create <accountId> [--description <text>] [--expires-at <ISO-8601 UTC>] [--assigned-user <email>|<userId>]
                         [--max-role admin|agent|end_user] [--allow-ip <address or CIDR block>]... [--json]
  tokenctl tokens update <accountId> <tokenId> [--description <text>] [--assigned-user <email>|<userId>|none]
                         [--max-role <role>|none] [--allow-ip <address or CIDR block>|none]... [--json]
  tokenctl tokens list <accountId> [--json]
  tokenctl tokens rotate <accountId> <tokenId> [--grace-seconds <0-604800>] [--json]
  tokenctl tokens deactivate|reactivate|delete <accountId> <tokenId> [--json]
  tokenctl sweep [<accountId>] [--json]
  tokenctl --help

Defaults: plan team, API token access off, token limit 256 (2048 with --legacy), role end_user, users verified;
tokens without an expiry (unless the account has a maximum lifetime), user, role ceiling or IP allow-list.
sweep applies the inactivity policy and ends rotation graces now, as the hourly schedule does.
--allow-ip is repeatable; on update the blocks given replace the list, and --allow-ip none removes it.
tokens rotate prints a new token with the old one's description and policy; the old token is replaced at once,
or keeps working until --grace-seconds have passed (the new one then needs a free slot).
Environment: DYNAMODB_ENDPOINT (unset = AWS), TABLE_NAME (default api-tokens), AWS_REGION,
API_BASE_URL (base of "url" fields, default ${DEFAULT_API_BASE_URL}).
Exit status: 0 success, 1 error, 2 usage.
`;

class UsageError extends Error {}
class HelpRequested extends Error {}

/** A parsed command line, checked before any connection is made. */
interface Invocation {
  json: boolean;
  run(cli: commands.CliContext): Promise<commands.CommandResult>;
}

const COMMON_OPTIONS = { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } as const;

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;
type StrictParse<O extends OptionsConfig> = ReturnType<typeof parseArgs<{ options: O; strict: true; allowPositionals: true }>>;

/** util.parseArgs in strict mode; its errors are usage errors, and --help wins over everything else. */
function parse<O extends OptionsConfig>(args: string[], options: O): StrictParse<O> {
  let parsed: StrictParse<O>;
  try {
    parsed = parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if ((parsed.values as Record<string, unknown>).help === true) throw new HelpRequested();
  return parsed;
}

/** Exactly the named positionals, by name. */
function positionals<const N extends readonly string[]>(given: string[], names: N): Record<N[number], string> {
  if (given.length < names.length) throw new UsageError(`missing <${names[given.length]}>`);
  if (given.length > names.length) throw new UsageError(`unexpected argument '${given[names.length]}'`);
  return Object.fromEntries(names.map((name, index) => [name, given[index]])) as Record<N[number], string>;
}

function oneOf<const T extends string>(value: string | undefined, allowed: readonly T[], flag: string): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`${flag} must be one of ${allowed.join(', ')} (got '${value}')`);
  }
  return value as T;
}

const ON_OFF = { on: true, off: false } as const;
const TRUE_FALSE = { true: true, false: false } as const;

function flagBoolean(value: string | undefined, words: Record<string, boolean>, flag: string): boolean | undefined {
  const word = oneOf(value, Object.keys(words), flag);
  return word === undefined ? undefined : words[word];
}

/** `none` (the flag's way to remove a setting) as null, anything else as it is. */
const orNone = (value: string | undefined): string | null | undefined => (value === 'none' ? null : value);

function roleOrNone(value: string | undefined): (typeof ROLES)[number] | null | undefined {
  return value === 'none' ? null : oneOf(value, ROLES, '--max-role');
}

/** `--allow-ip` given: the blocks; `--allow-ip none` alone: remove the list. */
function allowIpsOf(values: string[] | undefined, removable: boolean): string[] | null | undefined {
  if (values === undefined) return undefined;
  if (!values.includes('none')) return values;
  if (!removable || values.length > 1) throw new UsageError(removable ? '--allow-ip none removes the list and takes no blocks beside it' : '--allow-ip none is for tokens update');
  return null;
}

function daysOrNone(value: string | undefined, flag: string): number | null | undefined {
  if (value === undefined || value === 'none') return value === 'none' ? null : undefined;
  if (!/^[1-9][0-9]{0,3}$/.test(value)) throw new UsageError(`${flag} must be a number of days or none (got '${value}')`);
  return Number(value);
}

const TOKEN_POLICY_OPTIONS = {
  'assigned-user': { type: 'string' },
  'max-role': { type: 'string' },
  'allow-ip': { type: 'string', multiple: true },
} as const;

function tokenIdOf(raw: string): number {
  const tokenId = parseId(raw);
  if (tokenId === undefined) throw new UsageError(`<tokenId> must be a positive integer (got '${raw}')`);
  return tokenId;
}

type Parser = (args: string[]) => Invocation;

const tokenStateCommand =
  (change: 'deactivate' | 'reactivate' | 'delete'): Parser =>
  (args) => {
    const { values, positionals: given } = parse(args, COMMON_OPTIONS);
    const { accountId, tokenId } = positionals(given, ['accountId', 'tokenId']);
    const id = tokenIdOf(tokenId);
    return {
      json: values.json === true,
      run: (cli) =>
        change === 'delete' ? commands.deleteToken(cli, accountId, id) : commands.setTokenActive(cli, accountId, id, change === 'reactivate'),
    };
  };

const PARSERS: Record<string, Record<string, Parser>> = {
  accounts: {
    create(args) {
      const { values, positionals: given } = parse(args, {
        ...COMMON_OPTIONS,
        name: { type: 'string' },
        plan: { type: 'string' },
        legacy: { type: 'boolean' },
        'api-token-access': { type: 'string' },
      });
      const { accountId } = positionals(given, ['accountId']);
      if (values.name === undefined) throw new UsageError('missing --name <name>');
      const input = {
        accountId,
        name: values.name,
        plan: oneOf(values.plan, PLANS, '--plan') ?? 'team',
        legacy: values.legacy === true,
        apiTokenAccess: flagBoolean(values['api-token-access'], ON_OFF, '--api-token-access') ?? false,
      };
      return { json: values.json === true, run: (cli) => commands.createAccount(cli, input) };
    },
    update(args) {
      const { values, positionals: given } = parse(args, {
        ...COMMON_OPTIONS,
        plan: { type: 'string' },
        'api-token-access': { type: 'string' },
        status: { type: 'string' },
        'api-token-max-lifetime-days': { type: 'string' },
        'api-token-inactivity-days': { type: 'string' },
        'api-token-deactivated-retention-days': { type: 'string' },
      });
      const { accountId } = positionals(given, ['accountId']);
      const update = {
        plan: oneOf(values.plan, PLANS, '--plan'),
        apiTokenAccess: flagBoolean(values['api-token-access'], ON_OFF, '--api-token-access'),
        status: oneOf(values.status, ACCOUNT_STATUSES, '--status'),
        apiTokenMaxLifetimeDays: daysOrNone(values['api-token-max-lifetime-days'], '--api-token-max-lifetime-days'),
        apiTokenInactivityDays: daysOrNone(values['api-token-inactivity-days'], '--api-token-inactivity-days'),
        apiTokenDeactivatedRetentionDays: daysOrNone(values['api-token-deactivated-retention-days'], '--api-token-deactivated-retention-days'),
      };
      return { json: values.json === true, run: (cli) => commands.updateAccount(cli, accountId, update) };
    },
    show(args) {
      const { values, positionals: given } = parse(args, COMMON_OPTIONS);
      const { accountId } = positionals(given, ['accountId']);
      return { json: values.json === true, run: (cli) => commands.showAccount(cli, accountId) };
    },
  },
  users: {
    add(args) {
      const { values, positionals: given } = parse(args, {
        ...COMMON_OPTIONS,
        name: { type: 'string' },
        role: { type: 'string' },
        unverified: { type: 'boolean' },
      });
      const { accountId, email } = positionals(given, ['accountId', 'email']);
      const input = {
        accountId,
        email,
        name: values.name,
        role: oneOf(values.role, ROLES, '--role') ?? 'end_user',
        verified: values.unverified !== true,
      };
      return { json: values.json === true, run: (cli) => commands.addUser(cli, input) };
    },
    update(args) {
      const { values, positionals: given } = parse(args, {
        ...COMMON_OPTIONS,
        role: { type: 'string' },
        verified: { type: 'string' },
        suspended: { type: 'string' },
      });
      const { accountId, email } = positionals(given, ['accountId', 'email']);
      const update = {
        role: oneOf(values.role, ROLES, '--role'),
        verified: flagBoolean(values.verified, TRUE_FALSE, '--verified'),
        suspended: flagBoolean(values.suspended, TRUE_FALSE, '--suspended'),
      };
      return { json: values.json === true, run: (cli) => commands.updateUser(cli, accountId, email, update) };
    },
    remove(args) {
      const { values, positionals: given } = parse(args, COMMON_OPTIONS);
      const { accountId, email } = positionals(given, ['accountId', 'email']);
      return { json: values.json === true, run: (cli) => commands.removeUser(cli, accountId, email) };
    },
    list(args) {
      const { values, positionals: given } = parse(args, COMMON_OPTIONS);
      const { accountId } = positionals(given, ['accountId']);
      return { json: values.json === true, run: (cli) => commands.listUsers(cli, accountId) };
    },
  },
  tokens: {
    create(args) {
      const { values, positionals: given } = parse(args, { ...COMMON_OPTIONS, ...TOKEN_POLICY_OPTIONS, description: { type: 'string' }, 'expires-at': { type: 'string' } });
      const { accountId } = positionals(given, ['accountId']);
      const policy = {
        expiresAt: values['expires-at'],
        assignedUser: values['assigned-user'],
        maxRole: oneOf(values['max-role'], ROLES, '--max-role'),
        allowedIps: allowIpsOf(values['allow-ip'], false),
      };
      return { json: values.json === true, run: (cli) => commands.createToken(cli, accountId, values.description ?? null, policy) };
    },
    update(args) {
      const { values, positionals: given } = parse(args, { ...COMMON_OPTIONS, ...TOKEN_POLICY_OPTIONS, description: { type: 'string' } });
      const { accountId, tokenId } = positionals(given, ['accountId', 'tokenId']);
      const id = tokenIdOf(tokenId);
      const update = {
        description: values.description,
        assignedUser: orNone(values['assigned-user']),
        maxRole: roleOrNone(values['max-role']),
        allowedIps: allowIpsOf(values['allow-ip'], true),
      };
      if (Object.values(update).every((value) => value === undefined)) throw new UsageError('nothing to update: give --description, --assigned-user, --max-role or --allow-ip');
      return { json: values.json === true, run: (cli) => commands.updateToken(cli, accountId, id, update) };
    },
    list(args) {
      const { values, positionals: given } = parse(args, COMMON_OPTIONS);
      const { accountId } = positionals(given, ['accountId']);
      return { json: values.json === true, run: (cli) => commands.listTokens(cli, accountId) };
    },
    rotate(args) {
      const { values, positionals: given } = parse(args, { ...COMMON_OPTIONS, 'grace-seconds': { type: 'string' } });
      const { accountId, tokenId } = positionals(given, ['accountId', 'tokenId']);
      const id = tokenIdOf(tokenId);
      const grace = values['grace-seconds'];
      if (grace !== undefined && !/^[0-9]{1,7}$/.test(grace)) throw new UsageError(`--grace-seconds must be a whole number of seconds (got '${grace}')`);
      return { json: values.json === true, run: (cli) => commands.rotateToken(cli, accountId, id, grace === undefined ? 0 : Number(grace)) };
    },
    deactivate: tokenStateCommand('deactivate'),
    reactivate: tokenStateCommand('reactivate'),
    delete: tokenStateCommand('delete'),
  },
};

/** Commands without a group: `tokenctl sweep [<accountId>]`. */
const SINGLE_COMMANDS: Record<string, Parser> = {
  sweep(args) {
    const { values, positionals: given } = parse(args, COMMON_OPTIONS);
    if (given.length > 1) throw new UsageError(`unexpected argument '${given[1]}'`);
    return { json: values.json === true, run: (cli) => commands.sweep(cli, given[0]) };
  },
};

const isHelp = (arg: string | undefined) => arg === '--help' || arg === '-h';

/** `tokenctl <group> <command> ...` → the checked invocation. */
function parseCommandLine(argv: string[]): Invocation {
  const [group, command, ...rest] = argv;
  if (group === undefined) throw new UsageError('missing command');
  if (isHelp(group) || isHelp(command)) throw new HelpRequested();
  const single = Object.hasOwn(SINGLE_COMMANDS, group) ? SINGLE_COMMANDS[group] : undefined;
  if (single) return single(argv.slice(1));
  const commandsOfGroup = Object.hasOwn(PARSERS, group) ? PARSERS[group] : undefined;
  if (!commandsOfGroup) throw new UsageError(`unknown command '${group}'`);
  if (command === undefined) throw new UsageError(`missing ${group} command (${Object.keys(commandsOfGroup).join('|')})`);
  const parser = Object.hasOwn(commandsOfGroup, command) ? commandsOfGroup[command] : undefined;
  if (!parser) throw new UsageError(`unknown command '${group} ${command}'`);
  return parser(rest);
}

/**
 * The error's own message; for an unreachable or overloaded DynamoDB, also which one was tried; for API
 * token access turned off, how an operator turns it on (the API's message, which customers read, does not say).
 */
function errorMessage(error: unknown, config: Config | undefined): string {
  if (!(error instanceof Error)) return String(error);
  if (error instanceof ApiTokenAccessDisabledError) return `${error.message} Turn it on with \`tokenctl accounts update <accountId> --api-token-access on\`.`;
  const code = (error as { code?: unknown }).code;
  const message = error.message || (typeof code === 'string' ? `${error.name} ${code}` : error.name);
  if (!(error instanceof ServiceUnavailableError) || !config) return message;
  const where = config.dynamodbEndpoint ?? `AWS region ${config.region}`;
  return `${message} (DynamoDB at ${where}, table ${config.tableName})`;
}

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processIo: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** Runs one command line; resolves to the exit status. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  let invocation: Invocation;
  try {
    invocation = parseCommandLine(argv);
  } catch (error) {
    if (error instanceof HelpRequested) {
      io.stdout(USAGE);
      return 0;
    }
    if (error instanceof UsageError) {
      io.stderr(`tokenctl: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }

  let services: ProductionServices | undefined;
  try {
    services = getServices();
    const result = await invocation.run({
      accounts: services.accounts,
      tokens: services.tokens,
      sweep: services.sweep,
      baseUrl: services.config.apiBaseUrl,
      operation: operatorContext(OPERATOR_USER_AGENT),
    });
    io.stdout(invocation.json ? `${JSON.stringify(result.json, null, 2)}\n` : `${result.text}\n`);
    return 0;
  } catch (error) {
    io.stderr(`tokenctl: ${errorMessage(error, services?.config)}\n`);
    return 1;
  } finally {
    // Idle keep-alive sockets must not hold the process open.
    services?.documentClient.destroy();
  }
}
