// Count-data statistics for the detectors: exact Poisson and negative-binomial tail probabilities
// turned into z-scores (standard-normal equivalents), so "threshold = 3 standard deviations" keeps
// the seed's meaning while small counts get honest (skewed) tails instead of a Gaussian guess.
// Runs only at window close / checkpoints, never per record.

/** Largest z we report: beyond ~37 an f64 tail probability underflows anyway. */
export const Z_CAP: f64 = 37.0;

const LANCZOS: StaticArray<f64> = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos g=7, ~15 digits). */
export function lgamma(x: f64): f64 {
  if (x < 0.5) {
    // reflection keeps accuracy near 0
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1.0 - x);
  }
  x -= 1.0;
  let a = unchecked(LANCZOS[0]);
  let t = x + 7.5;
  for (let i = 1; i < 9; i++) a += unchecked(LANCZOS[i]) / (x + <f64>i);
  return 0.9189385332046727 + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

const EPS: f64 = 1e-15;
const FPMIN: f64 = 1e-300;

/** Regularized lower incomplete gamma P(a, x). */
export function gammaP(a: f64, x: f64): f64 {
  if (x <= 0.0 || a <= 0.0) return 0.0;
  if (x < a + 1.0) return gammaSeries(a, x);
  return 1.0 - gammaCF(a, x);
}

/** Regularized upper incomplete gamma Q(a, x) = 1 - P(a, x), accurate when small. */
export function gammaQ(a: f64, x: f64): f64 {
  if (x <= 0.0 || a <= 0.0) return 1.0;
  if (x < a + 1.0) return 1.0 - gammaSeries(a, x);
  return gammaCF(a, x);
}

function gammaSeries(a: f64, x: f64): f64 {
  let ap = a;
  let sum = 1.0 / a;
  let del = sum;
  for (let n = 0; n < 2000; n++) {
    ap += 1.0;
    del *= x / ap;
    sum += del;
    if (Math.abs(del) < Math.abs(sum) * EPS) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - lgamma(a));
}

function gammaCF(a: f64, x: f64): f64 {
  let b = x + 1.0 - a;
  let c = 1.0 / FPMIN;
  let d = 1.0 / b;
  let h = d;
  for (let i = 1; i < 2000; i++) {
    let an = -<f64>i * (<f64>i - a);
    b += 2.0;
    d = an * d + b;
    if (Math.abs(d) < FPMIN) d = FPMIN;
    c = b + an / c;
    if (Math.abs(c) < FPMIN) c = FPMIN;
    d = 1.0 / d;
    let del = d * c;
    h *= del;
    if (Math.abs(del - 1.0) < EPS) break;
  }
  return Math.exp(-x + a * Math.log(x) - lgamma(a)) * h;
}

/** Regularized incomplete beta I_x(a, b). */
export function betaI(a: f64, b: f64, x: f64): f64 {
  if (x <= 0.0) return 0.0;
  if (x >= 1.0) return 1.0;
  let lbt = lgamma(a + b) - lgamma(a) - lgamma(b) + a * Math.log(x) + b * Math.log1p(-x);
  if (x < (a + 1.0) / (a + b + 2.0)) return Math.exp(lbt) * betaCF(a, b, x) / a;
  return 1.0 - Math.exp(lbt) * betaCF(b, a, 1.0 - x) / b;
}

function betaCF(a: f64, b: f64, x: f64): f64 {
  let qab = a + b, qap = a + 1.0, qam = a - 1.0;
  let c = 1.0;
  let d = 1.0 - qab * x / qap;
  if (Math.abs(d) < FPMIN) d = FPMIN;
  d = 1.0 / d;
  let h = d;
  for (let m = 1; m < 3000; m++) {
    let fm = <f64>m;
    let m2 = 2.0 * fm;
    let aa = fm * (b - fm) * x / ((qam + m2) * (a + m2));
    d = 1.0 + aa * d; if (Math.abs(d) < FPMIN) d = FPMIN;
    c = 1.0 + aa / c; if (Math.abs(c) < FPMIN) c = FPMIN;
    d = 1.0 / d;
    h *= d * c;
    aa = -(a + fm) * (qab + fm) * x / ((a + m2) * (qap + m2));
    d = 1.0 + aa * d; if (Math.abs(d) < FPMIN) d = FPMIN;
    c = 1.0 + aa / c; if (Math.abs(c) < FPMIN) c = FPMIN;
    d = 1.0 / d;
    let del = d * c;
    h *= del;
    if (Math.abs(del - 1.0) < EPS) break;
  }
  return h;
}

/** Upper-tail probability p -> z with P(Z >= z) = p (Acklam's rational approximation, ~1e-9). */
export function zOfUpperP(p: f64): f64 {
  if (!(p > 0.0)) return Z_CAP;
  if (p >= 1.0) return -Z_CAP;
  let z = -probit(p);
  return z > Z_CAP ? Z_CAP : z;
}

/** Φ^{-1}(p). */
export function probit(p: f64): f64 {
  const a1 = -3.969683028665376e+01, a2 = 2.209460984245205e+02, a3 = -2.759285104469687e+02;
  const a4 = 1.383577518672690e+02, a5 = -3.066479806614716e+01, a6 = 2.506628277459239e+00;
  const b1 = -5.447609879822406e+01, b2 = 1.615858368580409e+02, b3 = -1.556989798598866e+02;
  const b4 = 6.680131188771972e+01, b5 = -1.328068155288572e+01;
  const c1 = -7.784894002430293e-03, c2 = -3.223964580411365e-01, c3 = -2.400758277161838e+00;
  const c4 = -2.549732539343734e+00, c5 = 4.374664141464968e+00, c6 = 2.938163982698783e+00;
  const d1 = 7.784695709041462e-03, d2 = 3.224671290700398e-01, d3 = 2.445134137142996e+00;
  const d4 = 3.754408661907416e+00;
  const plow = 0.02425;
  if (p < plow) {
    let q = Math.sqrt(-2.0 * Math.log(p));
    return (((((c1 * q + c2) * q + c3) * q + c4) * q + c5) * q + c6) / ((((d1 * q + d2) * q + d3) * q + d4) * q + 1.0);
  }
  if (p <= 1.0 - plow) {
    let q = p - 0.5;
    let r = q * q;
    return (((((a1 * r + a2) * r + a3) * r + a4) * r + a5) * r + a6) * q / (((((b1 * r + b2) * r + b3) * r + b4) * r + b5) * r + 1.0);
  }
  let q = Math.sqrt(-2.0 * Math.log1p(-p));
  return -(((((c1 * q + c2) * q + c3) * q + c4) * q + c5) * q + c6) / ((((d1 * q + d2) * q + d3) * q + d4) * q + 1.0);
}

/** Above this mean the counts are large enough for the normal approximation (and the continued
 *  fractions would need many iterations). */
const NORMAL_MEAN: f64 = 5000.0;

/** z-score of observing at least k when the count has the given mean and variance: negative
 *  binomial when over-dispersed (variance > mean), Poisson otherwise. 0 or less = no excess. */
export function zUpper(k: f64, mean: f64, variance: f64): f64 {
  if (mean < 1e-9) mean = 1e-9;
  if (variance < mean) variance = mean;
  if (k <= mean) return 0.0;
  if (mean > NORMAL_MEAN) return clampZ((k - 0.5 - mean) / Math.sqrt(variance));
  let extra = variance - mean;
  let p: f64;
  if (extra <= mean * 1e-6) {
    p = gammaP(k, mean);                       // Poisson: P(X >= k)
  } else {
    let r = mean * mean / extra;               // NB size
    let q = r / (r + mean);
    p = betaI(k, r, 1.0 - q);                  // NB: P(X >= k)
  }
  let z = zOfUpperP(p);
  return z < 0.0 ? 0.0 : z;
}

/** z-score (positive) of observing at most k given mean and variance. */
export function zLower(k: f64, mean: f64, variance: f64): f64 {
  if (mean < 1e-9) return 0.0;
  if (variance < mean) variance = mean;
  if (k >= mean) return 0.0;
  if (mean > NORMAL_MEAN) return clampZ((mean - k - 0.5) / Math.sqrt(variance));
  let extra = variance - mean;
  let p: f64;
  if (extra <= mean * 1e-6) {
    p = gammaQ(k + 1.0, mean);                 // Poisson: P(X <= k)
  } else {
    let r = mean * mean / extra;
    let q = r / (r + mean);
    p = betaI(r, k + 1.0, q);                  // NB: P(X <= k)
  }
  let z = zOfUpperP(p);
  return z < 0.0 ? 0.0 : z;
}

@inline function clampZ(z: f64): f64 { return z > Z_CAP ? Z_CAP : (z < 0.0 ? 0.0 : z); }

/** Upper-tail probability of the standard normal, P(Z >= z) (erfc, relative error < 1.2e-7). */
export function upperPOfZ(z: f64): f64 {
  let x = z * 0.7071067811865476;
  let ax = Math.abs(x);
  let t = 1.0 / (1.0 + 0.5 * ax);
  let r = t * Math.exp(-ax * ax - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 +
    t * (-0.82215223 + t * 0.17087277)))))))));
  let erfc = x >= 0 ? r : 2.0 - r;
  return 0.5 * erfc;
}

/** z after a Bonferroni correction for m simultaneous tests (m >= 1). */
export function zBonferroni(z: f64, m: f64): f64 {
  if (m <= 1.0 || z <= 0.0) return z;
  if (z >= Z_CAP) return Z_CAP;
  let p = upperPOfZ(z) * m;
  if (p >= 0.5) return 0.0;
  return zOfUpperP(p);
}

/** Log-likelihood ratio of observing k when the count's mean is rho x mean rather than mean,
 *  under the same negative binomial (size mean^2 / (variance - mean)) or Poisson when not
 *  over-dispersed: the increment of a one-sided CUSUM for a multiplicative rise. Its
 *  expectation under the null is negative (E[LR] = 1), so a CUSUM of it, restarted at 0, stays
 *  at or above h with probability at most e^-h per look (Wald / Lundberg bound). */
export function llrRise(k: f64, mean: f64, variance: f64, rho: f64): f64 {
  if (!(mean > 1e-9) || rho <= 1.0) return 0.0;
  let extra = variance - mean;
  if (extra <= mean * 1e-6) return k * Math.log(rho) - (rho - 1.0) * mean;
  let r = mean * mean / extra;
  let a = Math.log((r + mean) / (r + rho * mean));
  return k * (Math.log(rho) + a) + r * a;
}
