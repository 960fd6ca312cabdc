/**
 * A small simulated Control iD access device: the API a push command is executed against (load_objects,
 * create_objects, modify_objects, destroy_objects, set_configuration, get_configuration,
 * system_information, user_set_image), over a few tables of realistic canned data. It answers what the
 * device's API answers: `{response}` on success, `{error}` on failure.
 */
import {
  DEFAULT_REQUEST_PERIOD_S,
  DEFAULT_REQUEST_TIMEOUT_MS,
  OCTET_STREAM,
  contentTypeOf,
} from './codec.ts';
import type { Command, ResultBody } from './codec.ts';

type Row = Record<string, string | number>;

/** The user of the vendor document's own example, and a few more. */
function cannedTables(): Record<string, Row[]> {
  const user = (id: number, registration: string, name: string): Row => ({
    id,
    registration,
    name,
    password: '',
    salt: '',
    expires: 0,
    user_type_id: 0,
    begin_time: 0,
    end_time: 0,
  });
  return {
    users: [
      { ...user(1, 'Test', 'Walter White'), password: 'Heisenberg' },
      user(2, '1002', 'Jesse Pinkman'),
      user(3, '1003', 'Skyler White'),
    ],
    cards: [
      { id: 1, value: 1133456789, user_id: 1 },
      { id: 2, value: 4294967301, user_id: 2 },
    ],
    groups: [
      { id: 1, name: 'Default' },
      { id: 2, name: 'Staff' },
    ],
    user_groups: [
      { user_id: 1, group_id: 1 },
      { user_id: 2, group_id: 2 },
    ],
    access_rules: [{ id: 1, name: 'Always', type: 1, priority: 0 }],
    group_access_rules: [{ group_id: 1, access_rule_id: 1 }],
  };
}

function cannedConfiguration(): Record<string, Record<string, string>> {
  return {
    general: { online: '1', local_identification: '1', language: 'en_US' },
    push_server: {
      push_request_timeout: String(DEFAULT_REQUEST_TIMEOUT_MS),
      push_request_period: String(DEFAULT_REQUEST_PERIOD_S),
      push_remote_address: '',
    },
    identifier: { verbose_logging: '1', log_type: '1' },
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether `row` matches the `where` clause of `object` (`{users: {id: 1}}`: every field equal). */
function matches(row: Row, object: string, where: unknown): boolean {
  if (!isObject(where)) return true;
  const clause = where[object];
  if (!isObject(clause)) return true;
  return Object.entries(clause).every(([k, v]) => row[k] === v);
}

export interface DeviceOptions {
  /** Extra users, e.g. one whose name is a marker that must show where the server records results. */
  extraUsers?: readonly { registration: string; name: string }[];
}

/** A simulated device. Its tables change as commands create, modify and destroy rows. */
export class SimulatedDevice {
  private readonly tables = cannedTables();
  private readonly configuration = cannedConfiguration();
  private readonly images = new Map<number, number>();
  private readonly started = Date.now();

  constructor(opts: DeviceOptions = {}) {
    const users = this.tables.users ?? [];
    for (const u of opts.extraUsers ?? []) {
      users.push({ ...users[users.length - 1], id: users.length + 1, ...u });
    }
  }

  /** Executes a command as the device's API would and returns the body of the result to post. */
  execute(command: Command): ResultBody {
    const endpoint = (command.endpoint ?? '').replace(/^\//, '').replace(/\.fcgi$/, '');
    let params: unknown = command.body;
    if (contentTypeOf(command) === OCTET_STREAM) {
      if (typeof params !== 'string') return { error: 'Invalid body: expected Base64 data' };
      params = Buffer.from(params, 'base64');
    } else if (typeof params === 'string') {
      try {
        params = params === '' ? {} : JSON.parse(params);
      } catch {
        return { error: 'Invalid JSON in request body' };
      }
    }
    const query = new URLSearchParams(command.queryString ?? '');
    try {
      return { response: this.call(endpoint, params ?? {}, query) };
    } catch (err) {
      return { error: (err as Error).message };
    }
  }

  private table(object: unknown): Row[] {
    const rows = typeof object === 'string' ? this.tables[object] : undefined;
    if (!rows) throw new Error(`Table not found: ${String(object)}`);
    return rows;
  }

  private call(endpoint: string, params: unknown, query: URLSearchParams): Record<string, unknown> {
    const p = isObject(params) ? params : {};
    switch (endpoint) {
      case 'load_objects': {
        const object = String(p.object);
        const rows = this.table(object).filter((r) => matches(r, object, p.where));
        return { [object]: rows };
      }
      case 'create_objects': {
        const rows = this.table(p.object);
        if (!Array.isArray(p.values)) throw new Error('Parameter values must be an array');
        const ids: number[] = [];
        for (const value of p.values as unknown[]) {
          if (!isObject(value)) throw new Error('Each value must be an object');
          const id = Math.max(0, ...rows.map((r) => Number(r.id ?? 0))) + 1;
          rows.push({ ...(value as Row), id });
          ids.push(id);
        }
        return { ids };
      }
      case 'modify_objects': {
        const object = String(p.object);
        const rows = this.table(object).filter((r) => matches(r, object, p.where));
        if (!isObject(p.values)) throw new Error('Parameter values must be an object');
        for (const r of rows) Object.assign(r, p.values);
        return { changes: rows.length };
      }
      case 'destroy_objects': {
        const object = String(p.object);
        const rows = this.table(object);
        const keep = rows.filter((r) => !matches(r, object, p.where));
        const changes = rows.length - keep.length;
        rows.splice(0, rows.length, ...keep);
        return { changes };
      }
      case 'set_configuration': {
        for (const [section, values] of Object.entries(p)) {
          if (!isObject(values)) throw new Error(`Section ${section} must be an object`);
          const target = (this.configuration[section] ??= {});
          for (const [k, v] of Object.entries(values)) target[k] = String(v);
        }
        return {};
      }
      case 'get_configuration': {
        const out: Record<string, Record<string, string>> = {};
        for (const [section, keys] of Object.entries(p)) {
          const values = this.configuration[section] ?? {};
          const wanted = Array.isArray(keys) ? keys.map(String) : Object.keys(values);
          out[section] = Object.fromEntries(
            wanted.filter((k) => k in values).map((k) => [k, values[k] ?? '']),
          );
        }
        return out;
      }
      case 'system_information':
        return {
          uptime: { days: 0, hours: 0, minutes: 0, seconds: Math.floor((Date.now() - this.started) / 1000) },
          time: Math.floor(Date.now() / 1000),
          memory: { disk: { free: 52_428_800, total: 134_217_728 } },
          version: '5.12.3',
          serial: '0M0200/012345',
          online: true,
        };
      case 'user_set_image': {
        const userId = Number(query.get('user_id'));
        if (!Buffer.isBuffer(params)) throw new Error('user_set_image expects application/octet-stream');
        if (!this.table('users').some((u) => u.id === userId)) throw new Error(`User not found: ${userId}`);
        this.images.set(userId, params.length);
        return { user_id: userId, bytes: params.length };
      }
      default:
        throw new Error(`Endpoint not found: ${endpoint}`);
    }
  }
}
