// Side-by-side: the same JsonLogic rules and profiles through json-logic-js 2.0.5, json-logic-engine 5.0.7
// (compiled with LogicEngine.build, its fastest synchronous mode) and PolicyMatch.Rules (C#), in one run.
// Usage: node run.js <workload.json> [command that runs the C# side and prints its JSON]
'use strict';
const fs = require('fs');
const { execSync } = require('child_process');
const jsonLogic = require('json-logic-js');
const { LogicEngine } = require('json-logic-engine');

const workloadPath = process.argv[2];
const csharpCommand = process.argv[3];
const rounds = Number(process.env.ROUNDS || 10);
const workload = JSON.parse(fs.readFileSync(workloadPath, 'utf8'));
const { rules, profiles } = workload;
const evaluations = rules.length * profiles.length;

// JsonLogic truthiness (json-logic-js's rule): empty arrays are falsy.
const truthy = (v) => (Array.isArray(v) ? v.length > 0 : !!v);

function measure(name, prepare, evaluate) {
  const t0 = process.hrtime.bigint();
  const prepared = prepare();
  const compileMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const roundsSeconds = [];
  let counts;
  for (let round = 0; round < rounds; round++) {
    counts = new Array(rules.length).fill(0);
    const start = process.hrtime.bigint();
    for (let p = 0; p < profiles.length; p++) {
      const profile = profiles[p];
      for (let r = 0; r < rules.length; r++) {
        if (truthy(evaluate(prepared, r, profile))) counts[r]++;
      }
    }
    roundsSeconds.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  const bestSeconds = Math.min(...roundsSeconds);
  return { engine: name, compileMs: Math.round(compileMs * 10) / 10, roundsSeconds, bestSeconds, evaluationsPerSecond: Math.round(evaluations / bestSeconds), trueCounts: counts };
}

const results = [];
results.push(measure('json-logic-js 2.0.5 (apply)', () => null, (_, r, p) => jsonLogic.apply(rules[r], p)));
results.push(measure('json-logic-engine 5.0.7 (build, compiled)', () => {
  const engine = new LogicEngine();
  return rules.map((rule) => engine.build(rule));
}, (fns, r, p) => fns[r](p)));

if (csharpCommand) {
  const out = execSync(csharpCommand, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'inherit'] });
  const cs = JSON.parse(out.trim().split('\n').pop());
  results.push({ ...cs, engine: `${cs.engine} (C#)` });
}

// Every engine must give the same answer for every (rule, profile) pair: compare per-rule counts of true.
const reference = results[0].trueCounts;
let identical = true;
for (const r of results) {
  const same = r.trueCounts.length === reference.length && r.trueCounts.every((c, i) => c === reference[i]);
  r.identical = same;
  identical = identical && same;
}
const totalTrue = reference.reduce((a, b) => a + b, 0);

const fmt = (n) => n.toLocaleString('en-US');
console.log(`\nworkload: ${rules.length} rules x ${profiles.length} profiles = ${fmt(evaluations)} evaluations per round, best of ${rounds} rounds, single thread`);
console.log(`node ${process.version}; ${fmt(totalTrue)} (rule, profile) pairs true\n`);
console.log('engine'.padEnd(58) + 'evals/s'.padStart(14) + 'best s'.padStart(9) + 'compile ms'.padStart(12) + '  results');
for (const r of results) {
  console.log(r.engine.padEnd(58) + fmt(r.evaluationsPerSecond).padStart(14) + r.bestSeconds.toFixed(3).padStart(9) + String(r.compileMs).padStart(12) + (r.identical ? '  identical' : '  DIFFERENT'));
}
const cs = results.find((r) => r.engine.endsWith('(C#)'));
if (cs) {
  console.log(`${'  same, timing also ProfileFacts.From for every profile'.padEnd(58)}${fmt(cs.withFactsEvaluationsPerSecond).padStart(14)}${cs.withFactsBestSeconds.toFixed(3).padStart(9)}`);
  console.log('');
  for (const r of results.filter((x) => x !== cs)) {
    console.log(`PolicyMatch.Rules / ${r.engine}: ${(cs.evaluationsPerSecond / r.evaluationsPerSecond).toFixed(1)}x`
      + ` (${(cs.withFactsEvaluationsPerSecond / r.evaluationsPerSecond).toFixed(1)}x including ProfileFacts.From)`);
  }
}
if (!identical) {
  console.error('\nRESULTS DIFFER between engines (per-rule counts of true results).');
  process.exit(1);
}
console.log('\nall engines agree on every rule (per-rule counts of true results).');
