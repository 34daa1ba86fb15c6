// The shipper examples work as shipped: every key in fluent-bit.conf.example, fluent-bit.yaml.example
// and vector.toml.example is one the shipper accepts (lists kept in this directory, with the version
// or source they were read from), every repository path they name exists (build/ outputs: produced
// by the npm build), the pieces fit together (tags, ports, flags), and lad.json.example is accepted
// by the module. Commented "--- variant" blocks are checked too. With FLUENT_BIT=/path/to/fluent-bit
// set, both Fluent Bit examples also pass `fluent-bit --dry-run`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const read = (p) => readFileSync(join(ROOT, p), 'utf8');
const FB_KEYS = JSON.parse(read('tests/shipper/fluent-bit-keys.json'));
const VEC_KEYS = JSON.parse(read('tests/shipper/vector-keys.json'));
const PKG = JSON.parse(read('package.json'));
const ASCONFIG = JSON.parse(read('asconfig.json'));

// ---- helpers ------------------------------------------------------------------------------------

/** The commented "--- variant" blocks of a file, uncommented. */
function variants(text) {
  const out = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^# --- variant: (.*?) ---\s*$/.exec(lines[i]) ?? /^# --- variant: (.*)$/.exec(lines[i]);
    if (!m) continue;
    const body = [];
    let j = i + 1;
    // A variant title may continue on following comment lines up to the closing '---'.
    if (!/---\s*$/.test(lines[i])) { while (j < lines.length && !/---\s*$/.test(lines[j])) j++; j++; }
    for (; j < lines.length && !/^# --- end variant ---/.test(lines[j]); j++) {
      assert.match(lines[j], /^#( |$)/, `variant '${m[1]}': line ${j + 1} is not commented`);
      body.push(lines[j].replace(/^# ?/, ''));
    }
    assert.ok(j < lines.length, `variant '${m[1]}' has no end marker`);
    out.push({ name: m[1], text: body.join('\n') });
    i = j;
  }
  return out;
}

/** Fluent Bit classic format: [SECTION] then `Key Value` lines; '#' comments (indented too). */
function parseClassic(text) {
  const sections = [];
  let cur = null;
  text.split('\n').forEach((raw, n) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const h = /^\[([A-Za-z_]+)\]$/.exec(line);
    if (h) { cur = { kind: h[1].toUpperCase(), props: [], line: n + 1 }; sections.push(cur); return; }
    assert.ok(cur, `line ${n + 1}: property outside a section`);
    assert.match(raw, /^\s+\S/, `line ${n + 1}: properties are indented`);
    const m = /^(\S+)\s+(.*)$/.exec(line);
    assert.ok(m, `line ${n + 1}: expected 'Key Value', got '${line}'`);
    cur.props.push([m[1], m[2].trim()]);
  });
  return sections.map((s) => ({ ...s, get: (k) => s.props.filter(([x]) => x.toLowerCase() === k).map(([, v]) => v) }));
}

const KIND = { INPUT: 'input', FILTER: 'filter', OUTPUT: 'output' };

function checkPluginKeys(kind, name, keys, where) {
  const plugin = FB_KEYS[kind]?.[name.toLowerCase()];
  assert.ok(plugin, `${where}: ${kind} plugin '${name}' is not in fluent-bit-keys.json (add it with extract-fluent-bit-keys.js)`);
  const allowed = new Set([...FB_KEYS.common[kind], ...plugin]);
  for (const k of keys) {
    const key = k.toLowerCase();
    assert.ok(allowed.has(key) || (kind === 'input' && name === 'tail' && /^parser_\w+$/.test(key)),
      `${where}: '${k}' is not a ${kind} key of Fluent Bit ${FB_KEYS.fluent_bit_version} '${name}'`);
  }
}

/** Sections of a classic file as {kind, name, props:{lowercased key: [values]}}. */
function classicModel(text, where) {
  const out = [];
  for (const s of parseClassic(text)) {
    const props = {};
    for (const [k, v] of s.props) (props[k.toLowerCase()] ??= []).push(v);
    if (s.kind === 'SERVICE') {
      for (const k of Object.keys(props)) assert.ok(FB_KEYS.service.includes(k), `${where}: [SERVICE] key '${k}' unknown to Fluent Bit ${FB_KEYS.fluent_bit_version}`);
    } else if (s.kind === 'PARSER') {
      for (const k of Object.keys(props)) assert.ok(FB_KEYS.parser.includes(k), `${where}: [PARSER] key '${k}' unknown`);
    } else {
      const kind = KIND[s.kind];
      assert.ok(kind, `${where}: unknown section [${s.kind}]`);
      assert.equal(props.name?.length, 1, `${where}: [${s.kind}] at line ${s.line} needs one Name`);
      checkPluginKeys(kind, props.name[0], Object.keys(props), `${where} [${s.kind}] ${props.name[0]}`);
    }
    out.push({ kind: KIND[s.kind] ?? s.kind.toLowerCase(), name: props.name?.[0]?.toLowerCase(), props });
  }
  return out;
}

/** A YAML document as the same model. */
function yamlModel(doc, where) {
  const out = [];
  const norm = (o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.map(String) : [String(v)]]));
  for (const top of Object.keys(doc)) assert.ok(['service', 'pipeline', 'parsers', 'multiline_parsers', 'env', 'includes', 'plugins', 'customs'].includes(top), `${where}: unknown top-level section '${top}'`);
  if (doc.service) {
    for (const k of Object.keys(doc.service)) assert.ok(FB_KEYS.service.includes(k.toLowerCase()), `${where}: service key '${k}' unknown`);
    out.push({ kind: 'service', props: norm(doc.service) });
  }
  for (const p of doc.parsers ?? []) {
    for (const k of Object.keys(p)) assert.ok(FB_KEYS.parser.includes(k.toLowerCase()), `${where}: parser key '${k}' unknown`);
    out.push({ kind: 'parser', name: String(p.name), props: norm(p) });
  }
  for (const [list, kind] of [['inputs', 'input'], ['filters', 'filter'], ['outputs', 'output']]) {
    for (const item of doc.pipeline?.[list] ?? []) {
      assert.ok(item.name, `${where}: pipeline.${list} entry without name`);
      checkPluginKeys(kind, item.name, Object.keys(item), `${where} pipeline.${list} ${item.name}`);
      out.push({ kind, name: String(item.name).toLowerCase(), props: norm(item) });
    }
  }
  for (const k of Object.keys(doc.pipeline ?? {})) assert.ok(['inputs', 'filters', 'outputs'].includes(k), `${where}: pipeline.${k} unknown`);
  return out;
}

/** Fluent Bit tag matching: '*' matches any run of characters. */
function tagMatches(pattern, tag) {
  const re = new RegExp('^' + pattern.split('*').map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
  return re.test(tag);
}

function sizeBytes(v) {
  const m = /^(\d+(?:\.\d+)?)\s*([KMG]?)B?$/i.exec(v);
  assert.ok(m, `size '${v}'`);
  return Number(m[1]) * { '': 1, K: 1024, M: 1 << 20, G: 1 << 30 }[m[2].toUpperCase()];
}

/** Repository paths an example names: present now, or produced by `npm run build`. */
function checkRepoPath(p, where) {
  assert.ok(!p.startsWith('/'), `${where}: '${p}' should be a repository path for the shipped example`);
  if (p === 'build/lad.wasm') {
    assert.equal(ASCONFIG.targets.release.outFile, 'build/lad.wasm', 'asconfig release target writes build/lad.wasm');
    assert.match(PKG.scripts['build:wasm'], /--target release/, 'npm run build:wasm builds the release target');
    assert.match(PKG.scripts.build, /build:wasm/, 'npm run build runs build:wasm');
    return;
  }
  if (p.startsWith('dist/')) {
    assert.match(PKG.scripts.build, /build:ts/, 'npm run build runs build:ts');
    assert.ok(existsSync(join(ROOT, 'src', p.slice(5).replace(/\.js$/, '.ts'))), `${where}: ${p} is built from src/${p.slice(5).replace(/\.js$/, '.ts')}`);
    return;
  }
  assert.ok(existsSync(join(ROOT, p)), `${where}: '${p}' does not exist in the repository`);
}

/** Checks shared by both Fluent Bit examples. */
function checkFluentBitPipeline(model, where) {
  const inputs = model.filter((s) => s.kind === 'input');
  const filters = model.filter((s) => s.kind === 'filter');
  const outputs = model.filter((s) => s.kind === 'output');
  const parsers = new Set(model.filter((s) => s.kind === 'parser').map((s) => s.name));
  assert.ok(inputs.length >= 1, `${where}: an input`);
  const tags = [];
  for (const i of inputs) {
    assert.equal(i.name, 'tail', `${where}: inputs are tail`);
    const path = i.props.path[0];
    checkRepoPath(path, `${where} tail`);
    assert.equal(String(i.props.read_from_head?.[0]).toLowerCase(), 'true', `${where}: the bundled sample is read from the head`);
    for (const p of i.props.parser ?? []) assert.ok(parsers.has(p), `${where}: parser '${p}' is not defined`);
    tags.push(i.props.tag[0]);
  }
  const wasm = filters.find((f) => f.name === 'wasm');
  assert.ok(wasm, `${where}: a wasm filter`);
  assert.equal(wasm.props.function_name[0], 'lad_filter');
  assert.equal(wasm.props.event_format[0], 'json');
  assert.ok(sizeBytes(wasm.props.wasm_stack_size[0]) >= 1 << 20, `${where}: Wasm_Stack_Size >= 1M`);
  checkRepoPath(wasm.props.wasm_path[0], `${where} wasm`);
  for (const d of wasm.props.accessible_paths[0].split(',').map((x) => x.trim())) checkRepoPath(d, `${where} accessible_paths`);
  for (const t of tags) assert.ok(tagMatches(wasm.props.match[0], t), `${where}: the wasm filter matches tag ${t}`);

  const rt = filters.find((f) => f.name === 'rewrite_tag');
  assert.ok(rt, `${where}: a rewrite_tag filter routes alert copies`);
  assert.ok(filters.indexOf(rt) > filters.indexOf(wasm), `${where}: rewrite_tag runs after the wasm filter`);
  const http = outputs.find((o) => o.name === 'http');
  assert.ok(http, `${where}: an http output for alerts`);
  assert.equal(http.props.format[0], 'json');
  for (const rule of rt.props.rule) {
    const parts = rule.trim().split(/\s+/);
    assert.equal(parts.length, 4, `${where}: Rule '${rule}' has KEY REGEX NEW_TAG KEEP`);
    const [key, regex, newTag, keep] = parts;
    // Fluent Bit's record accessor matches strings only: a rule on the boolean `alert` never fires.
    assert.doesNotMatch(key, /\['alert'\]$/, `${where}: '${key}' is a boolean; rewrite_tag regexes only match strings`);
    assert.match(key, /^\$anomaly(_lad)?\[/, `${where}: the rule reads lad's anomaly object`);
    new RegExp(regex);
    assert.equal(keep, 'true', `${where}: keep=true leaves the record in the main stream`);
    for (const t of tags) {
      const routed = newTag.replace('$TAG', t);
      assert.ok(tagMatches(http.props.match[0], routed), `${where}: alert copies (${routed}) reach the http output`);
      assert.ok(!tagMatches(wasm.props.match[0], routed), `${where}: alert copies (${routed}) are not filtered again`);
      assert.ok(!tagMatches(rt.props.match[0], routed), `${where}: alert copies are not rewritten again`);
    }
  }
  const main = outputs.filter((o) => o !== http);
  for (const t of tags) assert.ok(main.some((o) => tagMatches(o.props.match[0], t)), `${where}: tagged records of ${t} reach a normal output`);
}

function checkComments(text, where) {
  if (/lad\.json\.example/.test(text)) checkRepoPath('lad.json.example', where);
  assert.match(text, /4\.1\.2/, `${where}: says the minimum version for detection state`);
  assert.match(text, /flb-wamrc/, `${where}: says how to AOT-compile`);
  assert.match(text, /--disable-simd/, `${where}: AOT without SIMD`);
  assert.match(text, /older versions/i, `${where}: says what happens on older versions`);
}

// ---- Fluent Bit -----------------------------------------------------------------------------------

test('fluent-bit-keys.json says what it was read from', () => {
  assert.match(FB_KEYS.fluent_bit_version, /^\d+\.\d+\.\d+$/);
  for (const k of ['service', 'parser']) assert.ok(FB_KEYS[k].length > 5);
  for (const [kind, names] of [['input', ['tail']], ['filter', ['wasm', 'rewrite_tag']], ['output', ['stdout', 'http']]]) {
    for (const n of names) assert.ok(FB_KEYS[kind][n]?.length, `${kind} ${n}`);
    assert.ok(FB_KEYS.common[kind].includes('name'));
  }
  assert.ok(FB_KEYS.filter.wasm.includes('wasm_stack_size') && FB_KEYS.filter.wasm.includes('accessible_paths'));
});

test('fluent-bit.conf.example: keys, paths, routing', () => {
  const text = read('fluent-bit.conf.example');
  const model = classicModel(text, 'fluent-bit.conf.example');
  checkFluentBitPipeline(model, 'fluent-bit.conf.example');
  checkComments(text, 'fluent-bit.conf.example');
  const vs = variants(text);
  assert.ok(vs.length >= 1);
  for (const v of vs) classicModel(v.text, `fluent-bit.conf.example variant '${v.name}'`);
});

test('fluent-bit.yaml.example: keys, paths, routing', () => {
  const text = read('fluent-bit.yaml.example');
  const model = yamlModel(parseYaml(text), 'fluent-bit.yaml.example');
  checkFluentBitPipeline(model, 'fluent-bit.yaml.example');
  checkComments(text, 'fluent-bit.yaml.example');
  assert.ok(model.some((s) => s.kind === 'input' && s.props.parser), 'a tail input uses a parser');
  for (const v of variants(text)) yamlModel(parseYaml(v.text), `fluent-bit.yaml.example variant '${v.name}'`);
});

test('both Fluent Bit examples describe the same pipeline', () => {
  const a = classicModel(read('fluent-bit.conf.example'), 'conf').filter((s) => s.kind !== 'parser');
  const b = yamlModel(parseYaml(read('fluent-bit.yaml.example')), 'yaml').filter((s) => s.kind !== 'parser');
  const shape = (m) => m.map((s) => `${s.kind}:${s.name ?? ''}:${s.props.tag?.[0] ?? s.props.match?.[0] ?? ''}`);
  assert.deepEqual(shape(a), shape(b));
  const wa = a.find((s) => s.name === 'wasm'), wb = b.find((s) => s.name === 'wasm');
  for (const k of ['wasm_path', 'function_name', 'event_format', 'wasm_stack_size', 'accessible_paths']) assert.equal(wa.props[k][0], wb.props[k][0], k);
  assert.deepEqual(a.find((s) => s.name === 'rewrite_tag').props.rule, b.find((s) => s.name === 'rewrite_tag').props.rule);
});

test('fluent-bit --dry-run accepts both examples (FLUENT_BIT=/path/to/fluent-bit)', { skip: !process.env.FLUENT_BIT && 'FLUENT_BIT not set' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'lad-fb-'));
  try {
    const yaml = join(dir, 'fluent-bit.yaml');
    writeFileSync(yaml, read('fluent-bit.yaml.example'));
    for (const cfg of [join(ROOT, 'fluent-bit.conf.example'), yaml]) {
      const r = spawnSync(process.env.FLUENT_BIT, ['-c', cfg, '--dry-run'], { cwd: ROOT, encoding: 'utf8', timeout: 30000 });
      assert.equal(r.status, 0, `${cfg}:\n${r.stdout}\n${r.stderr}`);
      assert.match(r.stdout + r.stderr, /configuration test is successful/);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// ---- lad.json.example -----------------------------------------------------------------------------

test('lad.json.example is accepted by the module and by the harness', async (t) => {
  const text = read('lad.json.example');
  const doc = JSON.parse(text);
  const { TOP_LEVEL_KEYS } = await import('../../dist/config/load.js');
  for (const k of Object.keys(doc)) assert.ok(TOP_LEVEL_KEYS.includes(k), `top-level key ${k}`);
  const { parseAlertingConfig } = await import('../../dist/alerts/index.js');
  const { spool_dir, ...alerting } = doc.alerting;
  void spool_dir;
  parseAlertingConfig(alerting);
  const wasm = join(ROOT, 'build/lad.wasm');
  if (!existsSync(wasm)) { t.skip('build/lad.wasm not built'); return; }
  // In a child process: a module that loops must fail this test, not hang the run.
  const script = `
    import { LadModule } from ${JSON.stringify(join(ROOT, 'dist/module/module.js'))};
    const host = await LadModule.create(${JSON.stringify(wasm)});
    let err = null;
    try { host.configure(${JSON.stringify(text)}); } catch (e) { err = e.message; }
    const out = err ? null : host.filter('logs.syslog', 1710230400, 0, JSON.stringify({ log: 'Mar 12 08:00:00 web-01 sshd[1]: Failed password for root from 10.0.0.1 port 22 ssh2' }));
    process.stdout.write(JSON.stringify({ err, out }));`;
  const r = spawnSync(process.execPath, ['--no-warnings', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30000 });
  assert.equal(r.status, 0, `module check failed or timed out (${r.signal ?? r.status}): ${r.stderr}`);
  const { err, out } = JSON.parse(r.stdout);
  assert.equal(err, null, 'lad_configure accepts lad.json.example');
  assert.ok(out && typeof JSON.parse(out)[doc.output.key] === 'object', 'records are tagged under output.key');
});

// ---- Vector ---------------------------------------------------------------------------------------

async function parseToml(text) {
  try {
    const { parse } = await import('smol-toml');
    return parse(text);
  } catch (e) {
    if (e.code !== 'ERR_MODULE_NOT_FOUND') throw e;
  }
  const r = spawnSync('python3', ['-c', 'import sys, json, tomllib; print(json.dumps(tomllib.loads(sys.stdin.read())))'], { input: text, encoding: 'utf8' });
  if (r.status !== 0) {
    if (r.error || /No module named/.test(r.stderr)) return null;
    throw new Error(`TOML: ${r.stderr}`);
  }
  return JSON.parse(r.stdout);
}

/** Dotted option paths of a component table (arrays and scalars are leaves). */
function leafPaths(o, prefix = '') {
  const out = [];
  for (const [k, v] of Object.entries(o)) {
    const p = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object' && !Array.isArray(v)) out.push(...leafPaths(v, p));
    else out.push(p);
  }
  return out;
}

function checkVectorDoc(doc, where) {
  const comps = {};
  for (const top of Object.keys(doc)) assert.ok(VEC_KEYS.global.includes(top), `${where}: top-level '${top}'`);
  for (const kind of ['sources', 'transforms', 'sinks']) {
    for (const [id, c] of Object.entries(doc[kind] ?? {})) {
      const allowed = VEC_KEYS[kind][c.type];
      assert.ok(allowed, `${where}: ${kind}.${id}: type '${c.type}' is not in vector-keys.json`);
      const all = [...VEC_KEYS.component[kind], ...allowed];
      for (const p of leafPaths(c)) {
        const ok = all.includes(p) || all.some((a) => a.endsWith('.*') && p.startsWith(a.slice(0, -1)));
        assert.ok(ok, `${where}: ${kind}.${id} (${c.type}): '${p}' is not a Vector option`);
      }
      comps[id] = { kind, ...c };
    }
  }
  return comps;
}

test('vector.toml.example: options, wiring, lad serve flags', async (t) => {
  const text = read('vector.toml.example');
  const doc = await parseToml(text);
  if (!doc) { t.skip('no TOML parser (npm i -D smol-toml, or python3 >= 3.11)'); return; }
  const c = checkVectorDoc(doc, 'vector.toml.example');
  // Every input exists.
  for (const [id, x] of Object.entries(c)) for (const i of x.inputs ?? []) assert.ok(c[i], `${id}: input '${i}' is not defined`);
  for (const [, x] of Object.entries(c)) if (x.type === 'file') for (const p of x.include) checkRepoPath(p, 'vector file source');

  // The documented lad serve command line: known flags, and addresses that match the components.
  const lines = text.split('\n');
  let at = lines.findIndex((l) => /node dist\/cli\/main\.js serve /.test(l));
  assert.ok(at >= 0, 'the example shows the lad serve command');
  let cmdText = lines[at].replace(/^.*node dist\/cli\/main\.js serve /, '');
  while (/\\\s*$/.test(cmdText.split('\n').pop())) cmdText = cmdText.replace(/\\\s*$/, '') + ' ' + lines[++at].replace(/^#/, '');
  const args = cmdText.trim().split(/\s+/);
  checkRepoPath('dist/cli/main.js', 'lad serve command');
  const help = serveHelp();
  const flags = {};
  for (let i = 0; i < args.length; i++) {
    if (!args[i].startsWith('--')) continue;
    assert.ok(help.includes(args[i]), `lad serve has no option ${args[i]}`);
    flags[args[i]] = args[i + 1];
  }
  checkRepoPath(flags['--config'], 'lad serve --config');
  const hp = (s) => s.replace(/^[a-z]+:\/\//, '').replace(/\/.*$/, '');
  const sink = Object.values(c).find((x) => x.kind === 'sinks' && x.type === 'socket');
  const source = Object.values(c).find((x) => x.kind === 'sources' && x.type === 'socket');
  assert.equal(sink.mode, 'tcp');
  assert.equal(sink.encoding.codec, 'json');
  assert.equal(sink.framing.method, 'newline_delimited');
  assert.equal(source.mode, 'tcp');
  assert.equal(source.decoding.codec, 'json');
  assert.equal(source.framing.method, 'newline_delimited');
  assert.equal(sink.address, hp(flags['--listen']), 'the socket sink sends to lad serve --listen');
  assert.equal(source.address, hp(flags['--forward']), 'lad serve --forward reaches the socket source');

  const vs = variants(text);
  const names = vs.map((v) => v.name).join(' | ');
  assert.match(names, /http sink/);
  assert.match(names, /exec source/);
  for (const v of vs) {
    const vc = checkVectorDoc(await parseToml(v.text), `vector.toml.example variant '${v.name}'`);
    for (const x of Object.values(vc)) {
      if (x.type === 'http' && /ingest/.test(x.uri)) {
        assert.equal(hp(x.uri), hp(flags['--http']), 'the http sink posts to lad serve --http');
        assert.match(x.uri, /\/ingest$/);
      }
      if (x.type === 'exec') {
        assert.equal(x.include_stderr, false, 'lad messages on stderr must not become events');
        assert.equal(x.decoding.codec, 'json');
        const [node, script, sub, ...rest] = x.command;
        assert.equal(node, 'node');
        checkRepoPath(script, 'exec command');
        assert.equal(sub, 'watch');
        const watchHelp = cliHelp(['watch']);
        for (const a of rest) if (a.startsWith('--')) assert.ok(watchHelp.includes(a), `lad watch has no option ${a}`);
        else checkRepoPath(a, 'exec command file');
      }
    }
  }
});

function cliHelp(args) {
  const r = spawnSync(process.execPath, [join(ROOT, 'dist/cli/main.js'), ...args, '--help'], { encoding: 'utf8', timeout: 20000 });
  assert.equal(r.status, 0, `lad ${args.join(' ')} --help: ${r.stderr}`);
  return r.stdout;
}

function serveHelp() {
  const r = spawnSync(process.execPath, [join(ROOT, 'dist/cli/main.js'), 'serve', '--help'], { encoding: 'utf8', timeout: 20000 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}
