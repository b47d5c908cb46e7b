using System.Text.RegularExpressions;
using PolicyMatch.Web.Tests.Infrastructure;

namespace PolicyMatch.Web.Tests.Architecture;

/// <summary>
/// Issue 13 item 4: whether a company matches a measure is decided in one place, MatchService.Match.
/// Every other feature (the stored matches, the impact preview of a draft, the notice recipients, a
/// measure's own page) asks it, so a change to what a match means is made once.
/// </summary>
public sealed class OneMatchDecisionTests
{
    /// <summary>Files allowed to call the rules engine's evaluation, and why.</summary>
    private static readonly Dictionary<string, string> Allowed = new(StringComparer.Ordinal)
    {
        ["Features/Matching/MatchService.cs"] = "the one decision",
        // Probes a measure's own criteria with made-up locations to check them against its regions when a
        // catalog is loaded: a check of the catalog's consistency, not a company's match.
        ["Features/Catalog/RegionCheck.cs"] = "catalog consistency check",
    };

    [Fact]
    public void Only_MatchService_evaluates_a_measure_against_a_company()
    {
        var web = Path.Combine(Repo.Root, "src", "PolicyMatch.Web");
        var call = new Regex(@"\.(Evaluate|EvaluateOutcome)\(", RegexOptions.Compiled);
        var offenders = Directory.EnumerateFiles(web, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".cshtml", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(web, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith("bin/", StringComparison.Ordinal) && !f.StartsWith("obj/", StringComparison.Ordinal))
            .Where(f => !Allowed.ContainsKey(f) && call.IsMatch(File.ReadAllText(Path.Combine(web, f))))
            .ToList();
        Assert.Empty(offenders);
        // The allow-list names files that exist and still call the engine (a stale entry hides nothing).
        Assert.All(Allowed.Keys, f => Assert.Matches(call, File.ReadAllText(Path.Combine(web, f))));
    }
}
