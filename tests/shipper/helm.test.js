// examples/helm/values.yaml (Kubernetes DaemonSet through the fluent/helm-charts Fluent Bit chart):
// every option is one the chart's values.yaml has (helm-fluent-bit-keys.json, read from the chart),
// every Fluent Bit property is one the plugin accepts (fluent-bit-keys.json; the chart's own plugins
// as its defaults use them), lad.wasm and lad.json are mounted where the wasm filter reads them,
// and the alert route is the one of fluent-bit.conf.example.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const read = (p) => readFileSync(join(ROOT, p), 'utf8');
const CHART = JSON.parse(read('tests/shipper/helm-fluent-bit-keys.json'));
const FB = JSON.parse(read('tests/shipper/fluent-bit-keys.json'));
const values = parseYaml(read('examples/helm/values.yaml'), { uniqueKeys: true });

/** Classic-format sections: [{kind, props: Map(lower key -> value)}]. */
function classic(text, where) {
  const out = [];
  let cur = null;
  for (const raw of text.split('\n')) {
    const l = raw.trim();
    if (!l || l.startsWith('#')) continue;
    const h = /^\[(\w+)\]$/.exec(l);
    if (h) { cur = { kind: h[1].toLowerCase(), props: new Map() }; out.push(cur); continue; }
    assert.ok(cur, `${where}: '${l}' outside a section`);
    const m = /^(\S+)\s+(.*)$/.exec(l);
    assert.ok(m, `${where}: expected 'Key Value': '${l}'`);
    assert.ok(!cur.props.has(m[1].toLowerCase()), `${where}: '${m[1]}' twice`);
    cur.props.set(m[1].toLowerCase(), m[2].trim());
  }
  return out;
}

test('helm values: only options of the chart', () => {
  for (const k of Object.keys(values)) assert.ok(CHART.top_level.includes(k), `'${k}' is not an option of the fluent-bit chart ${CHART.chart_version}`);
  for (const k of Object.keys(values.config)) assert.ok(CHART.config.includes(k), `'config.${k}' is not an option of the chart`);
  assert.equal(values.kind, 'DaemonSet');
});

test('helm values: Fluent Bit properties are the plugins\' own', () => {
  let n = 0;
  for (const sec of ['inputs', 'filters', 'outputs']) {
    if (values.config[sec] === undefined) continue;
    const kind = sec.slice(0, -1);
    for (const s of classic(values.config[sec], `config.${sec}`)) {
      assert.equal(s.kind, kind, `config.${sec} holds [${s.kind.toUpperCase()}]`);
      const name = s.props.get('name').toLowerCase();
      const plugin = FB[kind][name];
      const chartDefault = CHART.default_config_plugins[`${kind}:${name}`];
      assert.ok(plugin || chartDefault, `${kind} '${name}' is in neither key list`);
      const allowed = new Set([...(plugin ? [...FB.common[kind], ...plugin] : []), ...(chartDefault ?? [])]);
      for (const k of s.props.keys()) { assert.ok(allowed.has(k), `config.${sec}: '${k}' is not a property of ${kind} '${name}'`); n++; }
    }
  }
  assert.ok(n > 30);
});

test('helm values: lad.wasm and lad.json mounted where the filter reads them, state writable, alert route', () => {
  const filters = classic(values.config.filters, 'filters');
  const wasm = filters.find((s) => s.props.get('name') === 'wasm');
  assert.ok(wasm, 'a wasm filter');
  assert.equal(wasm.props.get('function_name'), 'lad_filter');
  assert.equal(wasm.props.get('event_format'), 'json');
  const paths = wasm.props.get('accessible_paths').split(',').map((p) => p.trim());
  const mounts = values.extraVolumeMounts;
  const vols = new Map(values.extraVolumes.map((v) => [v.name, v]));
  const mountOf = (dir) => mounts.find((m) => dir === m.mountPath || dir.startsWith(m.mountPath + '/'));
  // lad.wasm and lad.json come from one ConfigMap (kubectl create configmap lad --from-file=...).
  const wasmMount = mountOf(dirname(wasm.props.get('wasm_path')));
  assert.ok(wasmMount && vols.get(wasmMount.name).configMap, 'WASM_Path is on the ConfigMap mount');
  assert.match(read('examples/helm/values.yaml'), new RegExp(`create configmap ${vols.get(wasmMount.name).configMap.name} --from-file=lad\\.wasm=build/lad\\.wasm --from-file=lad\\.json=lad\\.json`));
  assert.ok(paths.includes(wasmMount.mountPath), 'lad.json is read from an accessible path');
  // The state file goes to the first accessible path: a writable host folder.
  const first = mountOf(paths[0]);
  assert.ok(first && !first.readOnly && vols.get(first.name).hostPath, 'first accessible path is writable and persistent');
  for (const m of mounts) assert.ok(vols.has(m.name), `volume ${m.name}`);
  // Same alert route as fluent-bit.conf.example, and something sends alerts.* out.
  const rt = filters.find((s) => s.props.get('name') === 'rewrite_tag');
  const conf = read('fluent-bit.conf.example');
  const rule = /^\s*Rule\s+(.*)$/m.exec(conf)[1].trim();
  assert.equal(rt.props.get('rule'), rule);
  const outs = classic(values.config.outputs, 'outputs');
  assert.ok(outs.some((s) => s.props.get('match') === 'alerts.*'), 'an output for alerts.*');
  assert.ok(filters.findIndex((s) => s.props.get('name') === 'kubernetes') < filters.indexOf(wasm), 'kubernetes metadata before lad');
  assert.ok(filters.indexOf(wasm) < filters.indexOf(rt), 'lad before the alert route');
});
