using PolicyMatch.Web.Features.Catalog;
using PolicyMatch.Web.Features.Matching;
using PolicyMatch.Web.Features.Profiles;
using static PolicyMatch.Web.Infrastructure.Web.L;

namespace PolicyMatch.Web.Features.Incubators;

/// <summary>
/// Which measures the matrix shows: a plan, a kind of support, only those in force or upcoming on the
/// date (the seed plans include expired ones), and all columns or only those some tenant has a result for.
/// </summary>
public sealed record MatrixFilter(string? Plan, string? Kind, bool CurrentOnly, bool OnlyWithResults, DateOnly AsOf)
{
    /// <summary>The filter as query-string pairs, so the export links download exactly what is on screen.</summary>
    public string Query()
    {
        var pairs = new List<KeyValuePair<string, string?>>();
        if (Plan is not null) pairs.Add(new("plan", Plan));
        if (Kind is not null) pairs.Add(new("kind", Kind));
        if (CurrentOnly) pairs.Add(new("period", "current"));
        pairs.Add(new("cols", OnlyWithResults ? "results" : "all"));
        pairs.Add(new("as_of", AsOf.ToString("yyyy-MM-dd")));
        return Microsoft.AspNetCore.Http.QueryString.Create(pairs).ToString();
    }
}

/// <summary>One tenant's row: its result per measure and the counts over every published measure.</summary>
public sealed record MatrixRow(TenantRow Tenant, IReadOnlyDictionary<string, MatchGroup> Cells, int Eligible, int NeedsInformation, int NearMiss);

public sealed record TenantMatrix(MatrixFilter Filter, IReadOnlyList<MeasureVersionRow> Columns, IReadOnlyList<MatrixRow> Rows,
    IReadOnlyList<(string Id, string Title)> Plans)
{
    public int Count(MeasureVersionRow column, MatchGroup group) => Rows.Count(r => r.Cells.GetValueOrDefault(column.MeasureId, MatchGroup.NotEligible) == group);

    /// <summary>A column heading: the measure's title, with its id where two published measures share a title.</summary>
    public string Heading(MeasureVersionRow column)
    {
        var title = English && column.TitleEn is not null ? column.TitleEn : column.Title;
        return Columns.Count(c => (English && c.TitleEn is not null ? c.TitleEn : c.Title) == title) > 1 ? $"{title} ({column.MeasureId})" : title;
    }

    public static string Mark(MatchGroup group) => group switch
    {
        MatchGroup.Eligible => "✓",
        MatchGroup.NeedsInformation => "?",
        MatchGroup.NearMiss => "≈",
        _ => "",
    };

    public static string Word(MatchGroup group) => group switch
    {
        MatchGroup.Eligible => T("符合条件", "Eligible"),
        MatchGroup.NeedsInformation => T("需补充信息", "Needs information"),
        MatchGroup.NearMiss => T("差一项", "Near miss"),
        _ => T("不符合", "Not eligible"),
    };
}

/// <summary>
/// Matches every tenant against the published catalog with <see cref="MatchService"/> — the same
/// service and the same <see cref="MatchItem.Group"/> the matches page uses, so a ≈ here is a near
/// miss there. The engine evaluates a measure in microseconds, so even a few thousand tenants are
/// matched within the request.
/// </summary>
public sealed class TenantMatrixBuilder(IncubatorRepository incubators, MatchService matching, CatalogCache catalog)
{
    public async Task<TenantMatrix> BuildAsync(long incubatorId, MatrixFilter filter, CancellationToken ct = default)
    {
        var tenants = await incubators.TenantsAsync(incubatorId, ct);
        var published = await catalog.GetPublishedAsync(ct);
        var rows = new List<MatrixRow>(tenants.Count);
        foreach (var tenant in tenants)
        {
            var report = await matching.MatchAsync(tenant.Profile(), filter.AsOf, ct);
            var cells = report.Items.ToDictionary(i => i.Measure.MeasureId, i => i.Group);
            rows.Add(new MatrixRow(tenant, cells,
                report.In(MatchGroup.Eligible).Count(), report.In(MatchGroup.NeedsInformation).Count(), report.In(MatchGroup.NearMiss).Count()));
        }
        var columns = published.Select(p => p.Row)
            .Where(m => filter.Plan is null || m.PlanId == filter.Plan)
            .Where(m => filter.Kind is null || m.Kind == filter.Kind)
            .Where(m => !filter.CurrentOnly || m.PeriodStatusOn(filter.AsOf) != PeriodStatus.Expired)
            .Where(m => !filter.OnlyWithResults || rows.Any(r => r.Cells.GetValueOrDefault(m.MeasureId, MatchGroup.NotEligible) != MatchGroup.NotEligible))
            .ToList();
        var plans = published.Select(p => (p.Row.PlanId, p.Row.PlanTitle)).Distinct().OrderBy(p => p.PlanId, StringComparer.Ordinal).ToList();
        return new TenantMatrix(filter, columns, rows, plans);
    }

    /// <summary>The filter from the query string; unknown plans or kinds are ignored rather than shown as an empty matrix.</summary>
    public async Task<(MatrixFilter Filter, string? AsOfError)> FilterAsync(
        string? plan, string? kind, string? period, string? cols, string? asOf, DateOnly today, bool defaultOnlyWithResults, CancellationToken ct = default)
    {
        var published = await catalog.GetPublishedAsync(ct);
        var date = ProfileValidator.ParseAsOf(asOf, today, out var error);
        return (new MatrixFilter(
            published.Any(p => p.Row.PlanId == plan) ? plan : null,
            Reference.Kinds.Any(k => k.Value == kind) ? kind : null,
            period == "current",
            cols switch { "all" => false, "results" => true, _ => defaultOnlyWithResults },
            date ?? today), error);
    }
}
