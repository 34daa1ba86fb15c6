#!/usr/bin/env node
// Regenerates tests/shipper/fluent-bit-keys.json: the configuration keys Fluent Bit accepts for each
// section and plugin the example configurations use. It reads only key *names* out of a Fluent Bit
// source checkout (the config_map[] arrays, the shared properties handled by
// flb_{input,filter,output}_set_property, the [SERVICE] table and the [PARSER] loader); no Fluent
// Bit code is copied.
//
//   node tests/shipper/extract-fluent-bit-keys.js /path/to/fluent-bit-src > tests/shipper/fluent-bit-keys.json
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const src = process.argv[2];
if (!src) {
  process.stderr.write('usage: extract-fluent-bit-keys.js FLUENT_BIT_SOURCE_DIR\n');
  process.exit(2);
}
const read = (p) => readFileSync(join(src, p), 'utf8');
const uniq = (a) => [...new Set(a.map((k) => k.toLowerCase()))].sort();

/** Key names of every `struct flb_config_map NAME[] = { ... };` array in `text` (or only `arrayName`). */
function configMapKeys(text, arrayName) {
  const keys = [];
  const re = /struct\s+flb_config_map\s+(\w+)\s*\[\]\s*=\s*\{/g;
  let m;
  while ((m = re.exec(text))) {
    if (arrayName && m[1] !== arrayName) continue;
    const end = text.indexOf('\n};', m.index);
    const body = text.slice(m.index, end < 0 ? undefined : end);
    const entry = /FLB_CONFIG_MAP_[A-Z0-9_]+(?:\s*\|\s*FLB_CONFIG_MAP_[A-Z0-9_]+)*\s*,\s*"([^"]+)"/g;
    let e;
    while ((e = entry.exec(body))) keys.push(e[1]);
  }
  return keys;
}

/** Names compared with prop_key_check("name", ...) inside function `fn` of `text`. */
function propKeyChecks(text, fn) {
  const start = text.search(new RegExp(`\\n(?:int|static int)\\s+${fn}\\s*\\(`));
  if (start < 0) throw new Error(`${fn} not found`);
  const end = text.indexOf('\n}\n', start);
  const body = text.slice(start, end);
  return [...body.matchAll(/prop_key_check\("([^"]+)"/g)].map((m) => m[1]);
}

function pluginKeys(dir) {
  const d = join(src, 'plugins', dir);
  const keys = [];
  for (const f of readdirSync(d).filter((f) => f.endsWith('.c'))) keys.push(...configMapKeys(readFileSync(join(d, f), 'utf8')));
  if (!keys.length) throw new Error(`no config_map keys found in plugins/${dir}`);
  return keys;
}

const cmake = read('CMakeLists.txt');
const ver = ['MAJOR', 'MINOR', 'PATCH'].map((p) => cmake.match(new RegExp(`set\\(FLB_VERSION_${p}\\s+(\\d+)\\)`))[1]).join('.');

// [SERVICE]: the service_configs[] table names macros defined in flb_config.h.
const hdr = read('include/fluent-bit/flb_config.h');
const defines = new Map();
for (const m of hdr.matchAll(/#define\s+(FLB_CONF_\w+)\s*\\?\s*"([^"]+)"/g)) defines.set(m[1], m[2]);
const cfg = read('src/flb_config.c');
const table = cfg.slice(cfg.indexOf('service_configs[]'), cfg.indexOf('{NULL, FLB_CONF_TYPE_OTHER'));
const service = [...table.matchAll(/\{\s*(FLB_CONF_\w+)\s*,/g)].map((m) => {
  const v = defines.get(m[1]);
  if (!v) throw new Error(`service key macro ${m[1]} not resolved`);
  return v;
});

// [PARSER]: keys read by flb_parser_load_parser_definitions, plus the decoder keys.
const parserC = read('src/flb_parser.c');
const pStart = parserC.indexOf('int flb_parser_load_parser_definitions(');
const pBody = parserC.slice(pStart, parserC.indexOf('\n}\n', pStart));
const parser = [...pBody.matchAll(/get_parser_key\([^"]*"([^"]+)"\)/g)].map((m) => m[1]);
const decoder = read('src/flb_parser_decoder.c');
parser.push(...[...decoder.matchAll(/strcasecmp\(entry->key,\s*"([^"]+)"\)/g)].map((m) => m[1]));

const input = read('src/flb_input.c');
const filter = read('src/flb_filter.c');
const output = read('src/flb_output.c');
const common = {
  input: uniq(['name', ...configMapKeys(input), ...propKeyChecks(input, 'flb_input_set_property'),
    ...configMapKeys(read('src/flb_downstream.c'))]),
  filter: uniq(['name', ...configMapKeys(filter), ...propKeyChecks(filter, 'flb_filter_set_property')]),
  output: uniq(['name', ...configMapKeys(output), ...propKeyChecks(output, 'flb_output_set_property'),
    ...configMapKeys(read('src/flb_upstream.c'), 'upstream_net')]),
};

const doc = {
  fluent_bit_version: ver,
  read_from: 'Fluent Bit source: plugins/<plugin>/*.c config_map[]; src/flb_{input,filter,output}.c (shared properties); src/flb_upstream.c, src/flb_downstream.c (net.*); src/flb_config.c service_configs[]; src/flb_parser.c, src/flb_parser_decoder.c ([PARSER])',
  generated_by: 'node tests/shipper/extract-fluent-bit-keys.js <fluent-bit-src>',
  note: 'Keys are lower-case; Fluent Bit compares them case-insensitively. A plugin accepts its own keys plus the common keys of its kind.',
  service: uniq(service),
  parser: uniq(parser),
  common,
  input: { tail: uniq(pluginKeys('in_tail')) },
  filter: { wasm: uniq(pluginKeys('filter_wasm')), rewrite_tag: uniq(pluginKeys('filter_rewrite_tag')) },
  output: { stdout: uniq(pluginKeys('out_stdout')), http: uniq(pluginKeys('out_http')) },
};
process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
