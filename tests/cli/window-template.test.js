// A window-level alert names the template it is about, not the template of whatever record carried
// it (issue 12 item 6): a spike of one OpenSSH template is reported with that template in the JSON
// report and on the console, though the alert rides on a line of another template.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lad, tmp } from './helpers.js';

function sshLog() {
  const t0 = Date.parse('2024-03-04T06:00:00Z');
  const out = [];
  const at = (ms) => {
    const d = new Date(ms);
    const mon = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
    const p = (n) => String(n).padStart(2, '0');
    return `${mon} ${String(d.getUTCDate()).padStart(2, ' ')} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
  };
  let k = 0;
  for (let m = 0; m < 240; m++) {
    // 30 lines a minute of three templates; minutes 200-204: 60 more of "check pass; user unknown"
    for (let i = 0; i < 30; i++) {
      const ms = t0 + m * 60000 + i * 2000;
      const pid = 20000 + (k++ % 5000);
      const v = i % 3;
      out.push(v === 0 ? `${at(ms)} host sshd[${pid}]: Invalid user u${k % 97} from 10.0.${k % 200}.${k % 250}`
        : v === 1 ? `${at(ms)} host sshd[${pid}]: Connection closed by 10.0.${k % 200}.${k % 250} port ${1024 + (k % 60000)} [preauth]`
          : `${at(ms)} host sshd[${pid}]: Received disconnect from 10.0.${k % 200}.${k % 250} port ${1024 + (k % 60000)}:11: Bye Bye [preauth]`);
      if (m >= 200 && m < 205) {
        out.push(`${at(ms + 500)} host sshd[${pid}]: pam_unix(sshd:auth): check pass; user unknown`);
        out.push(`${at(ms + 700)} host sshd[${pid}]: pam_unix(sshd:auth): check pass; user unknown`);
      }
    }
    // the template is known before its spike: a line every 10 minutes
    if (m % 10 === 5 && m < 200) out.push(`${at(t0 + m * 60000 + 1500)} host sshd[1]: pam_unix(sshd:auth): check pass; user unknown`);
  }
  return out.join('\n') + '\n';
}

test('a pattern spike names the template that spiked, in the JSON report and on the console', (t) => {
  const dir = tmp(t);
  const log = join(dir, 'auth.log');
  writeFileSync(log, sshLog());
  const report = join(dir, 'r.json');
  const r = lad(['analyze', log, '-o', report, '--fail-on', 'never']);
  assert.equal(r.code, 0, r.stderr);
  const rep = JSON.parse(readFileSync(report, 'utf8'));
  const spikes = rep.anomalies.filter((a) => a.type === 'pattern_spike');
  assert.ok(spikes.length >= 1, `a pattern_spike: ${rep.anomalies.map((a) => a.type).join(',')}`);
  for (const a of spikes) {
    assert.match(String(a.template), /check pass; user unknown/, JSON.stringify(a).slice(0, 400));
    assert.equal(a.template_id, a.top_templates[0].template_id);
  }
  // other window-level alerts do not borrow the carrying record's template
  for (const a of rep.anomalies.filter((x) => x.window_start && x.type !== 'pattern_spike' && x.type !== 'new_pattern')) {
    assert.equal(a.template_id, undefined, JSON.stringify(a).slice(0, 300));
  }
  assert.match(r.stdout, /pattern_spike[\s\S]*Template: .*check pass; user unknown/);
});
