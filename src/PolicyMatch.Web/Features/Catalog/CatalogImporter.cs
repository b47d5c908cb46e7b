using System.Text.Json;
using PolicyMatch.Web.Features.Plans;
using PolicyMatch.Web.Features.Search;
using PolicyMatch.Web.Infrastructure.Data;

namespace PolicyMatch.Web.Features.Catalog;

public sealed record ImportResult(IReadOnlyList<CatalogProblem> Problems, int Created, int NewVersions, int Unchanged)
{
    public bool Succeeded => Problems.Count == 0;
}

/// <summary>
/// Writes validated catalog data in one transaction: all of it or none of it. Used by the seeder
/// (plans + measures + notices from seeds/) and by the open-data import (measures + notices).
/// </summary>
public sealed class CatalogImporter(IDbConnectionFactory connections, CatalogRepository catalog, SearchRepository search, CatalogCache cache)
{
    /// <summary>Parses an uploaded export; any JSON or shape problem comes back with its path.</summary>
    public static (CatalogExport? Export, IReadOnlyList<CatalogProblem> Problems) Parse(Stream json)
    {
        try
        {
            var export = JsonSerializer.Deserialize<CatalogExport>(json, CatalogJson.Options);
            if (export is null)
            {
                return (null, [new CatalogProblem("$", "the file is empty (null)")]);
            }
            if (export.Format != CatalogExport.CurrentFormat)
            {
                return (null, [new CatalogProblem("$.format", $"expected '{CatalogExport.CurrentFormat}', found '{export.Format}'")]);
            }
            return (export, []);
        }
        catch (JsonException e)
        {
            return (null, [new CatalogProblem(e.Path ?? "$", $"{e.Message}")]);
        }
    }

    /// <summary>Imports measures (published unless their status says otherwise) and notices.</summary>
    public async Task<ImportResult> ImportAsync(CatalogExport export, string author, CancellationToken ct = default)
    {
        var plans = await catalog.GetPlansAsync(ct);
        var clauses = new Dictionary<string, IReadOnlyList<Clause>>();
        foreach (var plan in plans)
        {
            var rows = await catalog.GetClausesAsync(plan.Id, ct);
            IReadOnlyList<Clause> list = rows.Select(r => new Clause(r.Ref, (int)r.Ordinal, (int)r.Depth, r.Heading, r.Text)).ToList();
            clauses[plan.Id] = list;
            clauses[plan.Document] = list;
        }
        var measures = export.Measures ?? [];
        var problems = CatalogValidator.ValidateMeasures(
            measures.Select((m, i) => (m, m.Plan, $"$.measures[{i}]")), key => clauses.GetValueOrDefault(key));
        for (var i = 0; i < measures.Count; i++)
        {
            if (measures[i].Status is { } status && !MeasureStatus.IsKnown(status))
            {
                problems.Add(new CatalogProblem($"$.measures[{i}].status", $"'{status}' is not draft, published or retired"));
            }
        }
        var known = (await ExistingMeasureIdsAsync(ct)).Concat(measures.Select(m => m.Id)).ToHashSet();
        problems.AddRange(CatalogValidator.ValidateNotices(export.Notices ?? [], "$.notices", known));
        if (problems.Count > 0)
        {
            return new ImportResult(problems, 0, 0, 0);
        }
        var planIdOf = plans.SelectMany(p => new[] { (p.Id, p.Id), (p.Document, p.Id) }).ToDictionary(x => x.Item1, x => x.Item2);
        return await WriteAsync(null, measures.Select(m => (m, planIdOf[m.Plan!])).ToList(), export.Notices ?? [], author, ct);
    }

    /// <summary>Writes plans (with their parsed clauses), measures and notices in one transaction.</summary>
    internal async Task<ImportResult> WriteAsync(
        IReadOnlyList<(PlanDocument Plan, string Body, IReadOnlyList<Clause> Clauses)>? plans,
        IReadOnlyList<(MeasureDocument Measure, string PlanId)> measures,
        IReadOnlyList<NoticeDocument> notices,
        string author,
        CancellationToken ct)
    {
        int created = 0, versions = 0, unchanged = 0;
        await using (var connection = await connections.OpenAsync(ct))
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            foreach (var (plan, body, clauses) in plans ?? [])
            {
                await catalog.UpsertPlanAsync(connection, tx, plan, body, clauses);
            }
            foreach (var (measure, planId) in measures)
            {
                var publish = measure.Status is null || measure.Status == MeasureStatus.Published;
                switch (await catalog.UpsertMeasureAsync(connection, tx, measure, planId, author, publish))
                {
                    case UpsertOutcome.Created: created++; break;
                    case UpsertOutcome.NewVersion: versions++; break;
                    default: unchanged++; break;
                }
                if (measure.Status == MeasureStatus.Retired || measure.Status == MeasureStatus.Draft)
                {
                    await catalog.SetStatusAsync(connection, tx, measure.Id, MeasureStatus.Parse(measure.Status));
                }
            }
            foreach (var notice in notices)
            {
                await catalog.UpsertNoticeAsync(connection, tx, notice);
            }
            await search.RebuildAsync(connection, tx);
            await CatalogRepository.MarkChangedAsync(connection, tx);
            await tx.CommitAsync(ct);
        }
        cache.Invalidate();
        return new ImportResult([], created, versions, unchanged);
    }

    private async Task<IReadOnlyList<string>> ExistingMeasureIdsAsync(CancellationToken ct) =>
        (await catalog.GetAllMeasureIdsAsync(ct));
}
