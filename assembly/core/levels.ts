// Normalised severity levels, ordered so that a larger value is more severe.
export const LEVEL_TRACE: u8 = 0;
export const LEVEL_DEBUG: u8 = 1;
export const LEVEL_INFO: u8 = 2;
export const LEVEL_NOTICE: u8 = 3;
export const LEVEL_WARNING: u8 = 4;
export const LEVEL_ERROR: u8 = 5;
export const LEVEL_CRITICAL: u8 = 6;
/** No level found yet (the pipeline turns it into info after the keyword fallback). */
export const LEVEL_UNKNOWN: u8 = 255;
/** Parsing only: the format's most severe marker, which also covers errors (Redis `#`: warning and
 *  worse); the error keywords in the message decide between warning and error (record.ts, whose
 *  finishLevel tests both special codes with one compare: keep them the two largest). */
export const LEVEL_WARNING_UP: u8 = 254;
/** Parsing only, when the caller defers the error-keyword scan of the body (the pipeline, which
 *  answers it from the miner's caches): an error if the body has an error keyword, else info /
 *  else warning. Never fed back into the level fallback (below the two codes above). */
export const LEVEL_PENDING_INFO: u8 = 252;
export const LEVEL_PENDING_WARNING: u8 = 253;

export function levelName(level: u8): string {
  switch (level) {
    case LEVEL_TRACE: return "trace";
    case LEVEL_DEBUG: return "debug";
    case LEVEL_NOTICE: return "notice";
    case LEVEL_WARNING: return "warning";
    case LEVEL_ERROR: return "error";
    case LEVEL_CRITICAL: return "critical";
    default: return "info";
  }
}
