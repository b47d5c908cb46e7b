using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using PolicyMatch.Rules;

namespace PolicyMatch.Benchmarks;

internal static class Scratch
{
    public static int Run(string path)
    {
        var doc = JsonNode.Parse(File.ReadAllText(path))!;
        var asOf = DateOnly.Parse((string)doc["asOf"]!, CultureInfo.InvariantCulture);
        var profiles = doc["profiles"]!.AsArray().Select(p => p!.AsObject()).ToArray();
        var facts = profiles.Select(p => ProfileFacts.From(p, asOf)).ToArray();
        var all = doc["rules"]!.AsArray().Select(r => CompiledRule.Compile(r)).ToArray();
        foreach (var r in all) r.PrepareForProfiles();
        foreach (var n in new[] { 1000, 200, 50, 10 })
        {
            var rules = Enumerable.Range(0, 1000).Select(i => all[i % n]).ToArray();
            double best = 1e9;
            for (var round = 0; round < 5; round++)
            {
                var sw = Stopwatch.StartNew();
                var c = 0;
                foreach (var f in facts)
                    foreach (var r in rules)
                        if (r.IsTruthy(f)) c++;
                best = Math.Min(best, sw.Elapsed.TotalMilliseconds);
            }
            Console.WriteLine($"{n} distinct: {best / 2e6 * 1e6:F1} ns/eval");
        }
        return 0;
    }
}
