// Loghub grouping accuracy: a line counts when the set of lines sharing its predicted group equals
// exactly the set of lines sharing its ground-truth group.
export function groupingAccuracy(pred, truth) {
  const byPred = new Map();
  const truthSize = new Map();
  for (let i = 0; i < pred.length; i++) {
    if (!byPred.has(pred[i])) byPred.set(pred[i], []);
    byPred.get(pred[i]).push(i);
    truthSize.set(truth[i], (truthSize.get(truth[i]) || 0) + 1);
  }
  let correct = 0;
  for (const idx of byPred.values()) {
    const t = truth[idx[0]];
    if (truthSize.get(t) === idx.length && idx.every(i => truth[i] === t)) correct += idx.length;
  }
  return pred.length ? correct / pred.length : 1;
}
