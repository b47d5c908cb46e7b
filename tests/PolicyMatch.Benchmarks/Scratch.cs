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
        string[] tests = [
            """true""",
            """{">=":[{"var":"employees"},50]}""",
            """{"==":[{"var":"district"},"昌平区"]}""",
            """{"in":["人工智能",{"var":"focus_areas"}]}""",
            """{"or":[{"var":"gazelle"},{">=":[{"var":"invention_patents"},3]}]}""",
            """{"<":[2,{"var":"age_years"},10]}""",
            """{"and":[{">=":[{"var":"employees"},50]},{"==":[{"var":"district"},"昌平区"]},{"in":["人工智能",{"var":"focus_areas"}]}]}""",
        ];
        foreach (var t in tests)
        {
            var r = CompiledRule.Compile(JsonNode.Parse(t));
            r.PrepareForProfiles();
            double best = 1e9; var c = 0;
            for (var round = 0; round < 5; round++)
            {
                var sw = Stopwatch.StartNew();
                c = 0;
                for (var k = 0; k < 1000; k++)
                    foreach (var f in facts)
                        if (r.IsTruthy(f)) c++;
                best = Math.Min(best, sw.Elapsed.TotalMilliseconds);
            }
            Console.WriteLine($"{best / 2e6 * 1e6,8:F1} ns/eval  {c,8}  {t}");
        }
        return 0;
    }
}
