// NAB (Numenta Anomaly Benchmark) scoring, reproduced from NAB's own code (numenta/NAB:
// nab/sweeper.py, nab/scorer.py, nab/runner.py, nab/labeler.py):
//   * each file's rows get a weighted score (Sweeper.calcSweepScore): inside an anomaly window, the
//     scaled sigmoid of the row's relative position in the window, 2*sigmoid(-5*pos)-1 with
//     pos = -(rightIndex - i + 1)/width, times tpWeight / scaledSigmoid(-1); outside a window,
//     -1 before the first window, else scaledSigmoid(|prevRight - i| / (prevWidth - 1)) (-1 past 3
//     window widths), times fpWeight;
//   * the first floor(15% of rows) rows (at most 750) are probationary: not scored at all, neither
//     as detections nor as windows (a window none of whose rows is past probation is not counted);
//   * at a threshold (detection = anomaly score >= threshold, as Sweeper.scoreDataSet picks its
//     row of calcScoreByThreshold), a window counts its best (= earliest) detection's score, or
//     -fnWeight when it has none; every detection outside a window adds its (negative) score;
//   * a set of files scores the sum of its files; normalised = 100 * (raw - null) / (perfect - null)
//     where null is the raw score of the null detector (no detections: -fnWeight per scorable
//     window) and perfect = tpWeight * number of labelled windows of those files (runner.normalize).
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readCsvObjects } from './csv.js';

export const PROBATION_PERCENT = 0.15;

const sigmoid = (x) => 1 / (1 + Math.exp(-x));
export function scaledSigmoid(pos) {
  return pos > 3.0 ? -1.0 : 2 * sigmoid(-5 * pos) - 1.0;
}

/** NAB timestamp text ("2014-07-01 00:00:00" or with ".000000") as epoch ms, read as UTC. */
export function tsMs(s) {
  const m = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:\.(\d+))?/.exec(s.trim());
  if (!m) throw new Error(`bad NAB timestamp: ${s}`);
  const ms = m[7] ? Math.round(Number(`0.${m[7]}`) * 1000) : 0;
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) + ms;
}

export function loadProfiles(nabDir) {
  return JSON.parse(readFileSync(join(nabDir, 'config/profiles.json'), 'utf8'));
}
export function loadThresholds(nabDir) {
  return JSON.parse(readFileSync(join(nabDir, 'config/thresholds.json'), 'utf8'));
}
/** { 'realTweets/Twitter_volume_AAPL.csv': [[startMs, endMs], ...], ... } */
export function loadWindows(nabDir) {
  const raw = JSON.parse(readFileSync(join(nabDir, 'labels/combined_windows.json'), 'utf8'));
  const out = {};
  for (const [k, ws] of Object.entries(raw)) out[k] = ws.map(([a, b]) => [tsMs(a), tsMs(b)]);
  return out;
}

/** A data file: { timestamps: ms[], values: number[] }. */
export function readSeries(nabDir, relPath) {
  const rows = readCsvObjects(readFileSync(join(nabDir, 'data', relPath), 'utf8'));
  return { timestamps: rows.map((r) => tsMs(r.timestamp)), values: rows.map((r) => Number(r.value)) };
}

/** A published detector's anomaly scores for one data file (results/<det>/<cat>/<det>_<file>). */
export function readResults(nabDir, detector, relPath) {
  const [cat, file] = relPath.split('/');
  const p = join(nabDir, 'results', detector, cat, `${detector}_${file}`);
  if (!existsSync(p)) return null;
  const rows = readCsvObjects(readFileSync(p, 'utf8'));
  return { timestamps: rows.map((r) => tsMs(r.timestamp)), scores: rows.map((r) => Number(r.anomaly_score)) };
}

export function listDetectors(nabDir) {
  const d = join(nabDir, 'results');
  return readdirSync(d, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
}

function probationaryLength(n, pct = PROBATION_PERCENT) {
  return Math.min(Math.floor(pct * n), pct * 5000);
}

/** Sweeper.calcSweepScore: per row { score (anomaly), sweep (weighted score), win (window index,
 *  null outside, 'probationary') }. */
export function sweepRows(timestamps, anomalyScores, windows, cost, pct = PROBATION_PERCENT) {
  if (timestamps.length !== anomalyScores.length) throw new Error('timestamps and anomaly scores differ in length');
  const index = new Map();
  timestamps.forEach((t, i) => { if (!index.has(t)) index.set(t, i); });
  for (const [a, b] of windows) {
    if (!index.has(a) || !index.has(b)) throw new Error(`window ${new Date(a).toISOString()}..${new Date(b).toISOString()} not on a row`);
  }
  const maxTP = scaledSigmoid(-1.0);
  const prob = probationaryLength(timestamps.length, pct);
  const pending = windows.slice();
  let wi = -1, cur = null, curWidth = 0, curRight = 0, prevWidth = null, prevRight = null;
  const rows = new Array(timestamps.length);
  for (let i = 0; i < timestamps.length; i++) {
    const t = timestamps[i];
    if (pending.length && t === pending[0][0]) {
      cur = pending.shift();
      wi++;
      curRight = index.get(cur[1]);
      curWidth = curRight - index.get(cur[0]) + 1;
    }
    let sweep;
    if (cur !== null) {
      const pos = -(curRight - i + 1) / curWidth;
      sweep = scaledSigmoid(pos) * cost.tpWeight / maxTP;
    } else {
      const u = prevRight === null ? -1.0 : scaledSigmoid(Math.abs(prevRight - i) / (prevWidth - 1));
      sweep = u * cost.fpWeight;
    }
    const win = i >= prob ? (cur !== null ? wi : null) : 'probationary';
    rows[i] = { score: anomalyScores[i], sweep, win };
    if (cur !== null && t === cur[1]) {
      prevRight = i; prevWidth = curWidth;
      cur = null;
    }
  }
  return rows;
}

/** One file at one threshold: NAB's score and counts, plus per-window detail.
 *  Detection = anomaly score >= threshold (what Sweeper.scoreDataSet's threshold row holds). */
export function scoreFile({ timestamps, scores, windows, threshold, cost, pct = PROBATION_PERCENT }) {
  const rows = sweepRows(timestamps, scores, windows, cost, pct);
  const best = new Map(); // scorable window -> best sweep score of a detection in it
  let fpScore = 0, tp = 0, fp = 0, tn = 0, fn = 0, fpDetections = 0;
  const firstDetection = new Map();
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (r.win === 'probationary') continue;
    if (r.win !== null && !best.has(r.win)) best.set(r.win, null);
    const det = r.score >= threshold;
    if (r.win === null) {
      if (det) { fp++; fpDetections++; fpScore += r.sweep; } else tn++;
    } else if (det) {
      tp++;
      const b = best.get(r.win);
      if (b === null || r.sweep > b) best.set(r.win, r.sweep);
      if (!firstDetection.has(r.win)) firstDetection.set(r.win, i);
    } else fn++;
  }
  let winScore = 0, caught = 0;
  for (const b of best.values()) {
    if (b === null) winScore -= cost.fnWeight;
    else { winScore += b; caught++; }
  }
  return {
    score: fpScore + winScore, tp, tn, fp, fn, total: tp + tn + fp + fn,
    windows: windows.length, scorableWindows: best.size, caught, fpDetections,
    firstDetection, rows: rows.length,
  };
}

/** A set of files: raw total, null baseline, perfect score and the normalised 0..100 score.
 *  files: [{ relPath, timestamps, scores }]. */
export function scoreSet(files, { windowsByFile, threshold, cost, pct = PROBATION_PERCENT }) {
  let raw = 0, nul = 0, perfect = 0;
  const per = [];
  for (const f of files) {
    const windows = windowsByFile[f.relPath] || [];
    const s = scoreFile({ timestamps: f.timestamps, scores: f.scores, windows, threshold, cost, pct });
    // the null detector: no detection anywhere (NAB's null detector scores 0.5 against threshold 0.625)
    const z = scoreFile({ timestamps: f.timestamps, scores: f.scores.map(() => 0), windows, threshold: 1, cost, pct });
    raw += s.score;
    nul += z.score;
    perfect += windows.length * cost.tpWeight;
    per.push({ relPath: f.relPath, ...s });
  }
  return { raw, null: nul, perfect, normalised: 100 * (raw - nul) / (perfect - nul), per };
}

/** All labelled data files of the corpus (keys of combined_windows.json), sorted. */
export function corpusFiles(nabDir) {
  return Object.keys(JSON.parse(readFileSync(join(nabDir, 'labels/combined_windows.json'), 'utf8'))).sort();
}

/** A published detector on a set of files, with its standard (or given) profile threshold. */
export function scorePublished(nabDir, detector, relPaths, { profile = 'standard', windowsByFile, profiles, thresholds } = {}) {
  windowsByFile ??= loadWindows(nabDir);
  profiles ??= loadProfiles(nabDir);
  thresholds ??= loadThresholds(nabDir);
  const th = thresholds[detector]?.[profile]?.threshold;
  if (th === undefined) return null;
  const files = [];
  for (const relPath of relPaths) {
    const r = readResults(nabDir, detector, relPath);
    if (!r) return null;
    files.push({ relPath, timestamps: r.timestamps, scores: r.scores });
  }
  return { detector, threshold: th, ...scoreSet(files, { windowsByFile, threshold: th, cost: profiles[profile].CostMatrix }) };
}
