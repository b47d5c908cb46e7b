using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;
using PolicyMatch.Rules;

namespace PolicyMatch.Benchmarks;

/// <summary>(a) One profile against the seeded catalog, with full explanations (what the match page does).</summary>
[MemoryDiagnoser]
public class SeededCatalogBenchmarks
{
    private readonly EligibilityEngine _engine = new();
    private CompiledMeasure[] _catalog = [];
    private System.Text.Json.Nodes.JsonObject _profile = null!;
    private ProfileFacts _facts = null!;

    [GlobalSetup]
    public void Setup()
    {
        _catalog = [.. Catalog.LoadSeeded(Console.Out).Select(_engine.Compile)];
        _profile = Catalog.DemoProfile();
        _facts = ProfileFacts.From(_profile, Workload.AsOf);
        _engine.EvaluateAll(_catalog, _facts); // compile the predicates
    }

    [Benchmark(Description = "seeded catalog: EvaluateAll (1 profile)")]
    public IReadOnlyList<MeasureEvaluation> EvaluateAll() => _engine.EvaluateAll(_catalog, _facts);

    [Benchmark(Description = "ProfileFacts.From (1 profile)")]
    public ProfileFacts BuildFacts() => ProfileFacts.From(_profile, Workload.AsOf);
}

/// <summary>(b) One profile against 1,000 generated measures.</summary>
[MemoryDiagnoser]
public class GeneratedCatalogBenchmarks
{
    private readonly EligibilityEngine _engine = new();
    private CompiledMeasure[] _measures = [];
    private ProfileFacts _facts = null!;

    [GlobalSetup]
    public void Setup()
    {
        _measures = [.. Workload.Measures(1000).Select(_engine.Compile)];
        _facts = ProfileFacts.From(Workload.Profiles(1)[0], Workload.AsOf);
        _engine.EvaluateAll(_measures, _facts);
    }

    [Benchmark(Description = "1,000 measures: EvaluateAll (1 profile)")]
    public IReadOnlyList<MeasureEvaluation> EvaluateAll() => _engine.EvaluateAll(_measures, _facts);

    [Benchmark(Description = "1,000 measures: Summarize (1 profile)")]
    public int Summarize()
    {
        var eligible = 0;
        foreach (var m in _measures)
        {
            eligible += _engine.Summarize(m, _facts).Outcome == Outcome.Eligible ? 1 : 0;
        }

        return eligible;
    }
}

/// <summary>(c) 100,000 generated profiles × 1,000 generated measures on all cores (typed profiles built beforehand).</summary>
[MemoryDiagnoser]
public class ParallelThroughputBenchmarks
{
    private readonly EligibilityEngine _engine = new();
    private CompiledMeasure[] _measures = [];
    private ProfileFacts[] _facts = [];

    [GlobalSetup]
    public void Setup()
    {
        _measures = [.. Workload.Measures(1000).Select(_engine.Compile)];
        _facts = [.. Workload.Profiles(100_000).AsParallel().AsOrdered().Select(p => ProfileFacts.From(p, Workload.AsOf))];
        foreach (var m in _measures)
        {
            _engine.Summarize(m, _facts[0]);
        }
    }

    [Benchmark(Description = "100,000 profiles × 1,000 measures, Parallel.ForEach, Summarize")]
    public long AllProfilesAllMeasures()
    {
        long eligible = 0;
        var ranges = Partitioner.Create(0, _facts.Length, 1000);
        Parallel.ForEach(ranges, () => 0L, (range, _, local) =>
        {
            for (var i = range.Item1; i < range.Item2; i++)
            {
                foreach (var m in _measures)
                {
                    if (_engine.Summarize(m, _facts[i]).Outcome == Outcome.Eligible)
                    {
                        local++;
                    }
                }
            }

            return local;
        }, local => Interlocked.Add(ref eligible, local));
        return eligible;
    }
}
