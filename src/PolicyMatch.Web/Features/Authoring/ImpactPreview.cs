using System.Text.Json.Nodes;
using Dapper;
using PolicyMatch.Rules;
using PolicyMatch.Web.Features.Catalog;
using PolicyMatch.Web.Infrastructure.Data;

namespace PolicyMatch.Web.Features.Authoring;

/// <param name="Verified">Whether an administrator approved evidence of who owns it; the lists and exports mark the others.</param>
public sealed record CompanyRef(long Id, string Uscc, string Name, string District, bool Verified = true);

public sealed record OutcomeCounts(int Eligible, int NeedsInformation, int NotEligible)
{
    public int Total => Eligible + NeedsInformation + NotEligible;
}

/// <summary>What publishing a version would change, for every company in the portal, on one date.</summary>
public sealed record ImpactReport(
    DateOnly AsOf,
    MeasureVersionRow Draft,
    MeasureVersionRow? Published,
    OutcomeCounts DraftCounts,
    OutcomeCounts? PublishedCounts,
    IReadOnlyList<CompanyRef> Eligible,
    IReadOnlyList<CompanyRef> NewlyEligible,
    IReadOnlyList<CompanyRef> NoLongerEligible,
    int Unreadable)
{
    public bool ComparesVersions => Published is not null && Published.Version != Draft.Version;
}

/// <summary>
/// Evaluates a measure version against every company's stored profile. The versions are compiled once
/// through the engine (cached per id and version: a saved version never changes), each profile is read
/// once into facts for both versions, and rows are streamed, so memory grows with the eligible lists
/// only, not with the number of companies.
/// </summary>
public sealed class ImpactPreview(IDbConnectionFactory connections, EligibilityEngine engine)
{
    public async Task<ImpactReport> RunAsync(MeasureVersionRow draft, MeasureVersionRow? published, DateOnly asOf, CancellationToken ct)
    {
        var draftRules = engine.Compile(draft.RuleSet());
        var publishedRules = published is null ? null
            : published.Version == draft.Version ? draftRules
            : engine.Compile(published.RuleSet());
        int dE = 0, dN = 0, dX = 0, pE = 0, pN = 0, pX = 0, unreadable = 0;
        var eligible = new List<CompanyRef>();
        var newly = new List<CompanyRef>();
        var noLonger = new List<CompanyRef>();
        await foreach (var (company, facts) in ProfilesAsync(asOf, ct))
        {
            if (facts is null)
            {
                unreadable++;
                continue;
            }
            var now = engine.EvaluateOutcome(draftRules, facts);
            _ = now switch { Outcome.Eligible => dE++, Outcome.NeedsInformation => dN++, _ => dX++ };
            if (now == Outcome.Eligible)
            {
                eligible.Add(company);
            }
            if (publishedRules is null)
            {
                continue;
            }
            var before = ReferenceEquals(publishedRules, draftRules) ? now : engine.EvaluateOutcome(publishedRules, facts);
            _ = before switch { Outcome.Eligible => pE++, Outcome.NeedsInformation => pN++, _ => pX++ };
            if (now == Outcome.Eligible && before != Outcome.Eligible)
            {
                newly.Add(company);
            }
            else if (before == Outcome.Eligible && now != Outcome.Eligible)
            {
                noLonger.Add(company);
            }
        }
        return new ImpactReport(asOf, draft, published, new OutcomeCounts(dE, dN, dX),
            publishedRules is null ? null : new OutcomeCounts(pE, pN, pX), eligible, newly, noLonger, unreadable);
    }

    /// <summary>The companies eligible for one version on a date (the 免申即享 list).</summary>
    public async Task<IReadOnlyList<CompanyRef>> EligibleAsync(MeasureVersionRow version, DateOnly asOf, CancellationToken ct)
    {
        var rules = engine.Compile(version.RuleSet());
        var eligible = new List<CompanyRef>();
        await foreach (var (company, facts) in ProfilesAsync(asOf, ct))
        {
            if (facts is not null && engine.EvaluateOutcome(rules, facts) == Outcome.Eligible)
            {
                eligible.Add(company);
            }
        }
        return eligible;
    }

    private async IAsyncEnumerable<(CompanyRef Company, ProfileFacts? Facts)> ProfilesAsync(
        DateOnly asOf, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        var rows = connection.QueryUnbufferedAsync<CompanyProfileRow>("""
            SELECT id, uscc, name, district, profile_json, verified_at FROM companies ORDER BY name, id
            """);
        await foreach (var row in rows.WithCancellation(ct))
        {
            var company = new CompanyRef(row.Id, row.Uscc, row.Name, row.District, row.VerifiedAt is not null);
            // Profiles are written by the portal and valid; a row edited by hand must not stop the preview.
            JsonObject? profile;
            try
            {
                profile = JsonNode.Parse(row.ProfileJson) as JsonObject;
            }
            catch (System.Text.Json.JsonException)
            {
                profile = null;
            }
            yield return (company, profile is null ? null : ProfileFacts.From(profile, asOf));
        }
    }
}
