using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using PolicyMatch.Rules;

namespace PolicyMatch.Benchmarks;

/// <summary>
/// 100,000 generated profiles × 1,000 generated rules (and × 1,000 measures) on all cores, without the
/// BenchmarkDotNet harness: prints the wall-clock figures in a few seconds.
/// </summary>
public static class Throughput
{
    public static int Run(int profileCount = 100_000, int ruleCount = 1000, int? threads = null)
    {
        var cores = threads ?? Environment.ProcessorCount;
        Console.WriteLine($"{profileCount:N0} profiles × {ruleCount:N0} rules / measures, {cores} threads ({Environment.ProcessorCount} cores), .NET {Environment.Version}");

        var sw = Stopwatch.StartNew();
        var profiles = Workload.Profiles(profileCount);
        var rules = Workload.Rules(ruleCount).Select(r => CompiledRule.Compile(r)).ToArray();
        var engine = new EligibilityEngine();
        var measures = Workload.Measures(ruleCount).Select(engine.Compile).ToArray();
        foreach (var r in rules)
        {
            r.PrepareForProfiles();
        }

        // Compile the three-valued predicates before timing.
        var warm = ProfileFacts.From(profiles[0], Workload.AsOf);
        foreach (var m in measures)
        {
            engine.Summarize(m, warm);
        }

        Console.WriteLine($"setup (generate + compile): {sw.Elapsed.TotalSeconds:F2} s");
        var options = new ParallelOptions { MaxDegreeOfParallelism = cores };
        var ranges = Partitioner.Create(0, profileCount, Math.Max(1, profileCount / (cores * 32)));

        for (var round = 1; round <= 3; round++)
        {
            // 1. Typed profiles with derived facts.
            sw.Restart();
            var facts = new ProfileFacts[profileCount];
            Parallel.ForEach(ranges, options, range =>
            {
                for (var i = range.Item1; i < range.Item2; i++)
                {
                    facts[i] = ProfileFacts.From(profiles[i], Workload.AsOf);
                }
            });
            var factsSeconds = sw.Elapsed.TotalSeconds;

            // 2. Every rule against every profile (plain JsonLogic truthiness, as in the side-by-side).
            sw.Restart();
            long trueCount = 0;
            Parallel.ForEach(ranges, options, () => 0L, (range, _, local) =>
            {
                for (var i = range.Item1; i < range.Item2; i++)
                {
                    var f = facts[i];
                    foreach (var r in rules)
                    {
                        if (r.IsTruthy(f))
                        {
                            local++;
                        }
                    }
                }

                return local;
            }, local => Interlocked.Add(ref trueCount, local));
            var rulesSeconds = sw.Elapsed.TotalSeconds;

            // 3. Every measure against every profile, three-valued (outcome and counts, no explanations).
            sw.Restart();
            var outcomes = new long[3];
            Parallel.ForEach(ranges, options, () => new long[3], (range, _, local) =>
            {
                for (var i = range.Item1; i < range.Item2; i++)
                {
                    var f = facts[i];
                    foreach (var m in measures)
                    {
                        local[(int)engine.Summarize(m, f).Outcome]++;
                    }
                }

                return local;
            }, local =>
            {
                lock (outcomes)
                {
                    for (var k = 0; k < 3; k++)
                    {
                        outcomes[k] += local[k];
                    }
                }
            });
            var measuresSeconds = sw.Elapsed.TotalSeconds;

            var evals = (double)profileCount * ruleCount;
            Console.WriteLine(
                $"round {round}: profiles {factsSeconds:F2} s | rules {rulesSeconds:F2} s ({evals / rulesSeconds / 1e6:F1} M evals/s, {trueCount:N0} true) "
                + $"| profiles+rules {factsSeconds + rulesSeconds:F2} s | measures {measuresSeconds:F2} s "
                + $"({evals / measuresSeconds / 1e6:F1} M measure evals/s; eligible {outcomes[0]:N0}, needs info {outcomes[1]:N0}, not eligible {outcomes[2]:N0})");
        }

        return 0;
    }

    internal static JsonObject[] ProfilesFor(int count) => [.. Workload.Profiles(count)];
}
