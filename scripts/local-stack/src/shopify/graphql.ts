/**
 * The part of GraphQL the Shopify emulator needs: one operation (query or mutation, named or
 * not, with variables), fields with aliases and arguments (strings, block strings, numbers,
 * booleans, enums, null, lists, input objects, variables), nested selections, inline fragments
 * (`... on BulkOperation`) and `__typename`. Errors carry line/column like GraphQL servers do.
 */

export type Value =
  | { kind: 'string' | 'enum'; value: string }
  | { kind: 'int' | 'float'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'list'; items: Value[] }
  | { kind: 'object'; fields: Record<string, Value> }
  | { kind: 'variable'; name: string };

export interface Location {
  line: number;
  column: number;
}

export interface Field {
  kind: 'field';
  alias: string;
  name: string;
  args: Record<string, Value>;
  selections: Selection[];
  location: Location;
}

export interface InlineFragment {
  kind: 'inline';
  typeCondition: string | null;
  selections: Selection[];
}

export type Selection = Field | InlineFragment;

export interface Operation {
  type: 'query' | 'mutation';
  name: string | null;
  selections: Selection[];
}

export class GraphQLSyntaxError extends Error {
  constructor(
    message: string,
    readonly location: Location,
  ) {
    super(message);
  }
}

interface Token {
  kind: 'punct' | 'name' | 'string' | 'number' | 'spread' | 'eof';
  value: string;
  location: Location;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const at = (): Location => ({ line, column: i - lineStart + 1 });
  while (i < source.length) {
    const char = source[i];
    if (char === '\n') {
      i += 1;
      line += 1;
      lineStart = i;
      continue;
    }
    if (char === ' ' || char === '\t' || char === '\r' || char === ',' || char === '\ufeff') {
      i += 1;
      continue;
    }
    if (char === '#') {
      while (i < source.length && source[i] !== '\n') i += 1;
      continue;
    }
    const location = at();
    if (source.startsWith('...', i)) {
      tokens.push({ kind: 'spread', value: '...', location });
      i += 3;
      continue;
    }
    if ('{}():[]!$=@'.includes(char)) {
      tokens.push({ kind: 'punct', value: char, location });
      i += 1;
      continue;
    }
    if (source.startsWith('"""', i)) {
      const end = source.indexOf('"""', i + 3);
      if (end < 0) throw new GraphQLSyntaxError('Unterminated string', location);
      const raw = source.slice(i + 3, end);
      for (const c of raw) if (c === '\n') line += 1;
      if (raw.includes('\n')) lineStart = source.lastIndexOf('\n', end) + 1;
      tokens.push({ kind: 'string', value: blockString(raw), location });
      i = end + 3;
      continue;
    }
    if (char === '"') {
      let value = '';
      i += 1;
      for (;;) {
        if (i >= source.length || source[i] === '\n') throw new GraphQLSyntaxError('Unterminated string', location);
        const c = source[i];
        if (c === '"') break;
        if (c === '\\') {
          const next = source[i + 1];
          const escapes: Record<string, string> = {
            n: '\n',
            t: '\t',
            r: '\r',
            b: '\b',
            f: '\f',
            '"': '"',
            '\\': '\\',
            '/': '/',
          };
          if (next === 'u') {
            value += String.fromCharCode(parseInt(source.slice(i + 2, i + 6), 16));
            i += 6;
            continue;
          }
          if (!(next in escapes)) throw new GraphQLSyntaxError(`Invalid escape \\${next}`, at());
          value += escapes[next];
          i += 2;
          continue;
        }
        value += c;
        i += 1;
      }
      i += 1;
      tokens.push({ kind: 'string', value, location });
      continue;
    }
    const number = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(source.slice(i, i + 64));
    if (number) {
      tokens.push({ kind: 'number', value: number[0], location });
      i += number[0].length;
      continue;
    }
    const name = /^[_A-Za-z][_0-9A-Za-z]*/.exec(source.slice(i, i + 256));
    if (name) {
      tokens.push({ kind: 'name', value: name[0], location });
      i += name[0].length;
      continue;
    }
    throw new GraphQLSyntaxError(`Unexpected character "${char}"`, location);
  }
  tokens.push({ kind: 'eof', value: '', location: at() });
  return tokens;
}

function blockString(raw: string): string {
  const lines = raw.split(/\r?\n/);
  let indent = Infinity;
  for (const text of lines.slice(1)) {
    const lead = text.length - text.trimStart().length;
    if (text.trim()) indent = Math.min(indent, lead);
  }
  const out = lines.map((text, index) => (index === 0 || indent === Infinity ? text : text.slice(indent)));
  while (out.length && !out[0].trim()) out.shift();
  while (out.length && !out[out.length - 1].trim()) out.pop();
  return out.join('\n');
}

/** Parses a document holding one operation (or several, picking `operationName`). */
export function parseOperation(source: string, operationName?: string | null): Operation {
  const tokens = tokenize(source);
  let pos = 0;
  const peek = () => tokens[pos];
  const fail = (token: Token): never => {
    throw new GraphQLSyntaxError(
      token.kind === 'eof' ? 'syntax error, unexpected end of file' : `syntax error, unexpected ${token.value}`,
      token.location,
    );
  };
  const expect = (value: string) => {
    const token = tokens[pos];
    if (token.value !== value || (token.kind !== 'punct' && token.kind !== 'name')) fail(token);
    pos += 1;
    return token;
  };
  const name = () => {
    const token = tokens[pos];
    if (token.kind !== 'name') fail(token);
    pos += 1;
    return token.value;
  };

  const value = (): Value => {
    const token = peek();
    if (token.kind === 'punct' && token.value === '$') {
      pos += 1;
      return { kind: 'variable', name: name() };
    }
    if (token.kind === 'string') {
      pos += 1;
      return { kind: 'string', value: token.value };
    }
    if (token.kind === 'number') {
      pos += 1;
      return /[.eE]/.test(token.value)
        ? { kind: 'float', value: Number(token.value) }
        : { kind: 'int', value: Number(token.value) };
    }
    if (token.kind === 'punct' && token.value === '[') {
      pos += 1;
      const items: Value[] = [];
      while (!(peek().kind === 'punct' && peek().value === ']')) {
        if (peek().kind === 'eof') fail(peek());
        items.push(value());
      }
      pos += 1;
      return { kind: 'list', items };
    }
    if (token.kind === 'punct' && token.value === '{') {
      pos += 1;
      const fields: Record<string, Value> = {};
      while (!(peek().kind === 'punct' && peek().value === '}')) {
        const key = name();
        expect(':');
        fields[key] = value();
      }
      pos += 1;
      return { kind: 'object', fields };
    }
    if (token.kind === 'name') {
      pos += 1;
      if (token.value === 'true' || token.value === 'false') return { kind: 'boolean', value: token.value === 'true' };
      if (token.value === 'null') return { kind: 'null' };
      return { kind: 'enum', value: token.value };
    }
    return fail(token);
  };

  const selectionSet = (): Selection[] => {
    expect('{');
    const selections: Selection[] = [];
    while (!(peek().kind === 'punct' && peek().value === '}')) {
      const token = peek();
      if (token.kind === 'spread') {
        pos += 1;
        let typeCondition: string | null = null;
        if (peek().kind === 'name' && peek().value === 'on') {
          pos += 1;
          typeCondition = name();
        }
        if (peek().kind === 'name')
          throw new GraphQLSyntaxError('Named fragments are not supported here', token.location);
        selections.push({ kind: 'inline', typeCondition, selections: selectionSet() });
        continue;
      }
      const location = token.location;
      const alias = name();
      let fieldName = alias;
      if (peek().kind === 'punct' && peek().value === ':') {
        pos += 1;
        fieldName = name();
      }
      const args: Record<string, Value> = {};
      if (peek().kind === 'punct' && peek().value === '(') {
        pos += 1;
        while (!(peek().kind === 'punct' && peek().value === ')')) {
          const key = name();
          expect(':');
          args[key] = value();
        }
        pos += 1;
      }
      const selections_ = peek().kind === 'punct' && peek().value === '{' ? selectionSet() : [];
      selections.push({ kind: 'field', alias, name: fieldName, args, selections: selections_, location });
    }
    pos += 1;
    return selections;
  };

  const operations: Operation[] = [];
  while (peek().kind !== 'eof') {
    const token = peek();
    if (token.kind === 'punct' && token.value === '{') {
      operations.push({ type: 'query', name: null, selections: selectionSet() });
      continue;
    }
    if (token.kind === 'name' && (token.value === 'query' || token.value === 'mutation')) {
      pos += 1;
      const opName = peek().kind === 'name' ? name() : null;
      if (peek().kind === 'punct' && peek().value === '(') {
        // Variable definitions: `($id: ID!, $first: Int = 10)`; types are not checked.
        pos += 1;
        let depth = 1;
        while (depth > 0) {
          const next = tokens[pos++];
          if (next.kind === 'eof') fail(next);
          if (next.kind === 'punct' && next.value === '(') depth += 1;
          if (next.kind === 'punct' && next.value === ')') depth -= 1;
        }
      }
      operations.push({ type: token.value, name: opName, selections: selectionSet() });
      continue;
    }
    fail(token);
  }
  if (operations.length === 0) throw new GraphQLSyntaxError('syntax error, unexpected end of file', peek().location);
  if (operations.length === 1 && !operationName) return operations[0];
  const chosen = operations.find((operation) => operation.name === operationName);
  if (!chosen)
    throw new GraphQLSyntaxError(
      operationName ? `No operation named "${operationName}"` : 'An operation name is required',
      { line: 1, column: 1 },
    );
  return chosen;
}

/** A literal or variable argument as a plain JS value. */
export function resolveValue(value: Value, variables: Record<string, unknown>): unknown {
  switch (value.kind) {
    case 'variable':
      return variables[value.name] ?? null;
    case 'null':
      return null;
    case 'list':
      return value.items.map((item) => resolveValue(item, variables));
    case 'object':
      return Object.fromEntries(
        Object.entries(value.fields).map(([key, field]) => [key, resolveValue(field, variables)]),
      );
    default:
      return value.value;
  }
}
