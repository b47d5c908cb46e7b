using System.Text.Json.Nodes;
using Dapper;
using PolicyMatch.Web.Features.Companies;
using PolicyMatch.Web.Features.Matching;
using PolicyMatch.Web.Features.Rematch;
using PolicyMatch.Web.Infrastructure.Data;
using PolicyMatch.Web.Tests.Infrastructure;

namespace PolicyMatch.Web.Tests.Rematch;

/// <summary>What the rematch tests compare: stored rows against the matches page's own computation.</summary>
public static class RematchKit
{
    /// <summary>A stored or expected match, as one comparable line.</summary>
    public static string Line(string measure, long version, string outcome, long met, long total) => $"{measure} v{version} {outcome} {met}/{total}";

    /// <summary>What the matches page shows for the profile, minus "not eligible": what must be stored.</summary>
    public static async Task<IReadOnlyList<string>> ExpectedAsync(Portal portal, JsonObject profile, DateOnly asOf, string? measure = null)
    {
        var report = await portal.Service<MatchService>().MatchAsync(profile, asOf);
        return report.Items
            .Where(i => i.Group != MatchGroup.NotEligible && (measure is null || i.Measure.MeasureId == measure))
            .Select(i => Line(i.Measure.MeasureId, i.Measure.Version, StoredMatch.OutcomeOf(i.Group), i.Evaluation.Met, i.Evaluation.Total))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    public static async Task<IReadOnlyList<string>> StoredAsync(Portal portal, long companyId, string? measure = null) =>
        (await portal.Service<StoredMatches>().OfCompanyAsync(companyId))
            .Where(r => measure is null || r.MeasureId == measure)
            .Select(r => Line(r.MeasureId, r.MeasureVersion, r.Outcome, r.Met, r.Total))
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>The stored outcome of one company for one measure, or null when nothing is stored.</summary>
    public static async Task<string?> OutcomeAsync(Portal portal, long companyId, string measure) =>
        (await portal.Service<StoredMatches>().OfCompanyAsync(companyId)).SingleOrDefault(r => r.MeasureId == measure)?.Outcome;

    public static async Task<long> CreateCompanyAsync(Portal portal, string name, string profileJson)
    {
        var profile = JsonNode.Parse(profileJson)!.AsObject();
        profile["name"] = name;
        profile["uscc"] = TestData.NewUscc();
        return (await portal.Service<CompanyRepository>().CreateAsync(profile, null))!.Value;
    }

    public static async Task<long> CompanyCountAsync(Portal portal)
    {
        await using var db = await portal.Service<IDbConnectionFactory>().OpenAsync();
        return await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM companies");
    }

    public static async Task<long> RunsAsync(Portal portal, string? measure)
    {
        await using var db = await portal.Service<IDbConnectionFactory>().OpenAsync();
        return await db.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM rematch_runs WHERE (@Measure IS NULL AND measure_id IS NULL) OR measure_id = @Measure", new { Measure = measure });
    }

    /// <summary>Waits (up to 30 s) until the background job has recorded more than <paramref name="before"/> runs of the measure.</summary>
    public static async Task WaitForRunAsync(Portal portal, string? measure, long before)
    {
        await Eventually.UntilAsync(async () => await RunsAsync(portal, measure) > before, TimeSpan.FromSeconds(30),
            _ => $"the rematch of {measure ?? "everything"} did not run within 30 s");
    }
}
