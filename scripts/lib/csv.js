// Minimal RFC 4180 CSV reader: quoted fields, "" escapes, CRLF or LF, newlines inside quotes.
/** @returns {string[][]} rows of fields */
export function parseCsv(text) {
  if (text.charCodeAt(0) === 0xFEFF) text = text.slice(1);
  const rows = [];
  let row = [];
  let field = '';
  let inQuotes = false;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (inQuotes) {
      if (c === 34) {
        if (text.charCodeAt(i + 1) === 34) { field += '"'; i += 2; continue; }
        inQuotes = false; i++; continue;
      }
      const j = text.indexOf('"', i);
      const stop = j < 0 ? n : j;
      field += text.slice(i, stop);
      i = stop;
      continue;
    }
    if (c === 34 && field.length === 0) { inQuotes = true; i++; continue; }
    if (c === 44) { row.push(field); field = ''; i++; continue; }
    if (c === 13 && text.charCodeAt(i + 1) === 10) { i++; continue; }
    if (c === 10) { row.push(field); rows.push(row); row = []; field = ''; i++; continue; }
    field += text[i];
    i++;
  }
  if (field.length > 0 || row.length > 0) { row.push(field); rows.push(row); }
  return rows;
}

/** Rows as objects keyed by the header row. */
export function readCsvObjects(text) {
  const rows = parseCsv(text);
  if (rows.length === 0) return [];
  const head = rows[0];
  const out = [];
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r];
    if (row.length === 1 && row[0] === '') continue;
    const o = {};
    for (let c = 0; c < head.length; c++) o[head[c]] = row[c] ?? '';
    out.push(o);
  }
  return out;
}
