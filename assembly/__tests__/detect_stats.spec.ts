import { zUpper, zLower, zBonferroni, zOfUpperP, upperPOfZ, gammaP, gammaQ, betaI, lgamma, Z_CAP, llrRise } from "../detect/stats";
import { qLo, qHi } from "../detect/model";

function near(a: f64, b: f64, tol: f64): bool { return Math.abs(a - b) <= tol; }

describe("detect stats: special functions", () => {
  it("lgamma matches factorials", () => {
    expect(near(lgamma(1.0), 0.0, 1e-12)).toBe(true);
    expect(near(lgamma(11.0), Math.log(3628800.0), 1e-10)).toBe(true);
    expect(near(lgamma(0.5), Math.log(Math.sqrt(Math.PI)), 1e-10)).toBe(true);
  });
  it("incomplete gamma P + Q = 1 and known values", () => {
    expect(near(gammaP(3.0, 2.0) + gammaQ(3.0, 2.0), 1.0, 1e-12)).toBe(true);
    // P(1, x) = 1 - e^-x
    expect(near(gammaP(1.0, 0.7), 1.0 - Math.exp(-0.7), 1e-12)).toBe(true);
  });
  it("incomplete beta is symmetric", () => {
    expect(near(betaI(2.0, 3.0, 0.4) + betaI(3.0, 2.0, 0.6), 1.0, 1e-12)).toBe(true);
    expect(near(betaI(1.0, 1.0, 0.3), 0.3, 1e-12)).toBe(true);
  });
  it("normal tail and its inverse round-trip", () => {
    expect(near(upperPOfZ(3.0), 0.0013498980316301, 1e-9)).toBe(true);
    expect(near(zOfUpperP(upperPOfZ(4.2)), 4.2, 1e-5)).toBe(true);
    expect(zOfUpperP(0.0)).toBe(Z_CAP);
  });
});

describe("detect stats: count tails as z-scores", () => {
  it("Poisson upper tail (exact, not Gaussian)", () => {
    expect(near(zUpper(10, 2, 2), 3.9082, 2e-3)).toBe(true);     // P(X>=10|2) = 4.65e-5
    expect(near(zUpper(5, 0.5, 0.5), 3.5795, 2e-3)).toBe(true);
    expect(near(zUpper(30, 10, 10), 5.0256, 2e-3)).toBe(true);
  });
  it("Poisson lower tail", () => {
    expect(near(zLower(0, 5, 5), 2.4709, 2e-3)).toBe(true);      // P(X=0|5) = e^-5
    expect(near(zLower(50, 100, 100), 5.4584, 2e-3)).toBe(true);
  });
  it("over-dispersion (negative binomial) lowers the evidence", () => {
    // mean 10, variance 30: NB(r=5, p=1/3), P(X>=30) = 3.92e-3
    expect(near(zUpper(30, 10, 30), 2.6589, 2e-3)).toBe(true);
    expect(zUpper(30, 10, 30)).toBeLessThan(zUpper(30, 10, 10));
  });
  it("no evidence in the other direction, huge counts use the normal approximation", () => {
    expect(zUpper(3, 10, 10)).toBe(0.0);
    expect(zLower(12, 10, 10)).toBe(0.0);
    let z = zUpper(120000, 100000, 100000);
    expect(z).toBe(Z_CAP);
    expect(near(zUpper(101000, 100000, 1000000), 0.9995, 1e-3)).toBe(true);
  });
  it("Bonferroni correction needs more evidence for many tests", () => {
    expect(zBonferroni(4.0, 1)).toBe(4.0);
    let z = zBonferroni(4.0, 32);
    expect(z).toBeLessThan(4.0);
    expect(near(z, zOfUpperP(upperPOfZ(4.0) * 32), 1e-9)).toBe(true);
  });
});

describe("detect stats: CUSUM increments", () => {
  it("Poisson log-likelihood ratio of a rise, and E[LR] = 1 under the null", () => {
    expect(near(llrRise(8, 2, 2, 4), 8 * Math.log(4) - 6, 1e-12)).toBe(true);
    expect(llrRise(3, 2, 2, 1)).toBe(0.0);
    // E[exp(LLR)] = 1 for Poisson(2) and for an over-dispersed NB (mean 2, variance 3)
    let sP: f64 = 0, sN: f64 = 0;
    let r: f64 = 4, q: f64 = r / (r + 2.0);
    for (let k = 0; k < 120; k++) {
      let kf = <f64>k;
      let pP = Math.exp(kf * Math.log(2.0) - 2.0 - lgamma(kf + 1));
      let pN = Math.exp(lgamma(kf + r) - lgamma(r) - lgamma(kf + 1) + r * Math.log(q) + kf * Math.log(1 - q));
      sP += pP * Math.exp(llrRise(kf, 2, 2, 4));
      sN += pN * Math.exp(llrRise(kf, 2, 3, 4));
    }
    expect(near(sP, 1.0, 1e-9)).toBe(true);
    expect(near(sN, 1.0, 1e-9)).toBe(true);
    // over-dispersion makes the same count weaker evidence
    expect(llrRise(8, 2, 3, 4) < llrRise(8, 2, 2, 4)).toBe(true);
  });
});

describe("detect model: winsorising bounds", () => {
  it("the lower bound is 0 while an empty window is no rarer than the clipped tail", () => {
    // a sparse stream's empty window must be learned as 0, not lifted above its own mean
    expect(qLo(0.05, 0.05)).toBe(0.0);
    expect(qLo(2.0, 2.0)).toBe(0.0);
    expect(qLo(5.0, 5.0)).toBe(0.0);
    // above ~5.1 records (e^-m under P(z > 2.5)) the Cornish-Fisher quantile, below the mean
    let lo = qLo(20.0, 20.0);
    expect(lo).toBeCloseTo(20.0 - 2.5 * Math.sqrt(20.0) + (2.5 * 2.5 - 1) / 6);
    expect(lo).toBeLessThan(20.0);
    expect(qHi(0.05, 0.05)).toBeGreaterThan(0.05);
  });
});
