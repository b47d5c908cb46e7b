using System.Diagnostics;
using System.Text.Json.Nodes;
using PolicyMatch.Rules;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Catalog;
using PolicyMatch.Web.Features.Matching;
using PolicyMatch.Web.Features.Notices;
using PolicyMatch.Web.Infrastructure.Data;

namespace PolicyMatch.Web.Features.Rematch;

/// <summary>What a bulk rematch did (also recorded in <c>rematch_runs</c>).</summary>
public sealed record RematchResult(string Scope, string? MeasureId, DateOnly AsOf, int Companies, long Rows, TimeSpan Duration)
{
    /// <summary>Reading and evaluating the companies (outside the transaction).</summary>
    public TimeSpan Evaluating { get; init; }

    /// <summary>The write transaction: delete, bulk insert, commit.</summary>
    public TimeSpan Writing => Duration - Evaluating;
}

/// <summary>
/// Keeps <c>company_matches</c> equal to what the matches page would show: one measure across every
/// company (after publish or retire), every published measure across every company (daily, since facts
/// such as a company's age or a certificate's validity drift with the date), or every measure for one
/// company (after its profile is saved). The group of each pair comes from
/// <see cref="MatchService.Match"/>, the matches page's own decision.
/// </summary>
/// <remarks>
/// Companies are read in pages (keyset by id) and evaluated in parallel on every core; only the small
/// result rows are kept. Evaluation happens before the write transaction, so SQLite's single writer is
/// held only for the delete and the bulk insert, not for the evaluation. A company whose profile
/// changed while the run was evaluating is read again and re-evaluated inside that transaction, so a
/// slow run never overwrites a newer profile's matches with an older one's.
/// </remarks>
public sealed class RematchService(
    IDbConnectionFactory connections, StoredMatches store, CatalogCache catalog, MatchService matching, TimeProvider clock, ILogger<RematchService> logger)
{
    /// <summary>Companies per page: enough for both cores to share, small enough to keep memory flat.</summary>
    public const int PageSize = 2_000;

    /// <summary>Margin for a profile save stamped just before the run started but committed after its page was read.</summary>
    private static readonly TimeSpan ChangeMargin = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Replaces one measure's rows: its published version against every company, or none when it is
    /// no longer published (retired, or back to draft).
    /// </summary>
    public async Task<RematchResult> RefreshMeasureAsync(string measureId, DateOnly? asOf = null, CancellationToken ct = default)
    {
        var measures = (await FreshCatalogAsync(ct)).Where(m => m.Row.MeasureId == measureId).ToList();
        return await RunAsync("measure", measureId, measures, asOf ?? BeijingTime.Today(clock), ct);
    }

    /// <summary>Replaces every row: all published measures against every company.</summary>
    public async Task<RematchResult> RefreshAllAsync(DateOnly? asOf = null, CancellationToken ct = default) =>
        await RunAsync("full", null, await FreshCatalogAsync(ct), asOf ?? BeijingTime.Today(clock), ct);

    /// <summary>Replaces one company's rows (after its profile was created or saved), in one short transaction.</summary>
    public async Task<int> RefreshCompanyAsync(long companyId, DateOnly? asOf = null, CancellationToken ct = default)
    {
        var measures = await catalog.GetPublishedAsync(ct);
        var date = asOf ?? BeijingTime.Today(clock);
        await using var db = await connections.OpenAsync(ct);
        await using var tx = await db.BeginTransactionAsync(ct);
        var company = await StoredMatches.FindAsync(db, tx, companyId, ct);
        await StoredMatches.DeleteCompanyAsync(db, tx, companyId, ct);
        var rows = company is null ? [] : Evaluate(company, measures, date);
        await StoredMatches.InsertAsync(db, tx, rows, Stamp.Now(clock), ct);
        await tx.CommitAsync(ct);
        return rows.Length;
    }

    /// <summary>
    /// The published catalog as the database has it now. The job may run on another node than the one
    /// that published (PostgreSQL clusters the scheduler), whose in-memory cache looks at the catalog
    /// version only every Catalog:RefreshInterval and may not have seen the publish yet.
    /// </summary>
    private async Task<IReadOnlyList<PublishedMeasure>> FreshCatalogAsync(CancellationToken ct)
    {
        catalog.Invalidate();
        return await catalog.GetPublishedAsync(ct);
    }

    private async Task<RematchResult> RunAsync(string scope, string? measureId, IReadOnlyList<PublishedMeasure> measures, DateOnly asOf, CancellationToken ct)
    {
        var started = clock.GetUtcNow();
        var watch = Stopwatch.StartNew();
        var changedSince = Stamp.Of(started - ChangeMargin);

        // 1. Evaluate, page by page, outside any transaction.
        var rows = new List<StoredMatch>();
        var companies = 0;
        long after = 0;
        while (true)
        {
            var page = await store.CompanyPageAsync(after, PageSize, ct);
            if (page.Count == 0)
            {
                break;
            }
            var results = new StoredMatch[page.Count][];
            Parallel.For(0, page.Count, new ParallelOptions { CancellationToken = ct }, i => results[i] = Evaluate(page[i], measures, asOf));
            foreach (var r in results)
            {
                rows.AddRange(r);
            }
            companies += page.Count;
            after = page[^1].Id;
        }

        var evaluating = watch.Elapsed;

        // 2. Swap in one transaction: delete, insert, re-evaluate what changed meanwhile, record the run.
        await using var db = await connections.OpenAsync(ct);
        await using var tx = await db.BeginTransactionAsync(ct);
        var changed = await StoredMatches.ChangedSinceAsync(db, tx, changedSince, ct);
        var changedIds = changed.Select(c => c.Id).ToHashSet();
        var stamp = Stamp.Now(clock);
        var fresh = changed.SelectMany(c => Evaluate(c, measures, asOf));
        var replaced = rows.Where(r => !changedIds.Contains(r.CompanyId)).Concat(fresh);
        long written;
        if (measureId is null)
        {
            written = await StoredMatches.ReplaceAllAsync(db, tx, replaced, stamp, ct);
        }
        else
        {
            await StoredMatches.DeleteMeasureAsync(db, tx, measureId, ct);
            written = await StoredMatches.InsertAsync(db, tx, replaced, stamp, ct);
        }
        watch.Stop();
        var result = new RematchResult(scope, measureId, asOf, companies, written, watch.Elapsed) { Evaluating = evaluating };
        await StoredMatches.RecordRunAsync(db, tx, new RematchRun
        {
            Scope = scope,
            MeasureId = measureId,
            AsOf = asOf.ToString("yyyy-MM-dd"),
            StartedAt = Stamp.Of(started),
            FinishedAt = stamp,
            Companies = companies,
            RowsWritten = written,
            DurationMs = (long)watch.Elapsed.TotalMilliseconds,
        }, ct);
        await tx.CommitAsync(ct);
        logger.LogInformation("Rematch {Scope} {Measure}: {Companies} companies, {Rows} rows in {Ms} ms ({Changed} re-read)",
            scope, measureId ?? "*", companies, written, (long)watch.Elapsed.TotalMilliseconds, changed.Count);
        return result;
    }

    /// <summary>One company against the measures: the stored rows (every group but not eligible).</summary>
    private StoredMatch[] Evaluate(CompanyProfileRow company, IReadOnlyList<PublishedMeasure> measures, DateOnly asOf)
    {
        var facts = ProfileFacts.From(JsonNode.Parse(company.ProfileJson)!.AsObject(), asOf);
        List<StoredMatch>? rows = null;
        foreach (var measure in measures)
        {
            var item = matching.Match(measure, facts, asOf);
            if (item.Group != MatchGroup.NotEligible)
            {
                (rows ??= []).Add(new StoredMatch(company.Id, measure.Row.MeasureId, (int)measure.Row.Version, item.Group, item.Evaluation.Met, item.Evaluation.Total));
            }
        }
        return rows?.ToArray() ?? [];
    }
}
