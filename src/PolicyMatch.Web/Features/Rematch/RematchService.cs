using PolicyMatch.Web.Infrastructure.Time;
using System.Diagnostics;
using System.Text;
using PolicyMatch.Rules;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Catalog;
using PolicyMatch.Web.Features.Matching;
using PolicyMatch.Web.Infrastructure.Data;

namespace PolicyMatch.Web.Features.Rematch;

/// <summary>
/// Where a rematch is: carried from one step (one Hangfire job) to the next as the job's argument.
/// <see cref="After"/> is the last company id done (keyset); the counters add up over the steps.
/// </summary>
public sealed record RematchProgress(string? MeasureId, string AsOf, string StartedAt, long After, int Companies, long Rows, long EvaluatingMs, long WorkingMs)
{
    public string Scope => MeasureId is null ? "full" : "measure";

    public static RematchProgress Start(string? measureId, DateOnly asOf, TimeProvider clock) =>
        new(measureId, asOf.ToString("yyyy-MM-dd"), Stamp.Now(clock), 0, 0, 0, 0, 0);
}

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

    /// <summary>Companies per step of a rematch: a few seconds of work for 2 cores, so each job stays short.</summary>
    public const int BatchCompanies = 20_000;

    /// <summary>
    /// Replaces one measure's rows: its published version against every company, or none when it is
    /// no longer published (retired, or back to draft). All steps in this call (tests, benchmarks).
    /// </summary>
    public Task<RematchResult> RefreshMeasureAsync(string measureId, DateOnly? asOf = null, CancellationToken ct = default) =>
        RunAsync(RematchProgress.Start(measureId, asOf ?? BeijingTime.Today(clock), clock), ct);

    /// <summary>Replaces every row: all published measures against every company. All steps in this call.</summary>
    public Task<RematchResult> RefreshAllAsync(DateOnly? asOf = null, CancellationToken ct = default) =>
        RunAsync(RematchProgress.Start(null, asOf ?? BeijingTime.Today(clock), clock), ct);

    private async Task<RematchResult> RunAsync(RematchProgress progress, CancellationToken ct)
    {
        while (true)
        {
            var (next, result) = await StepAsync(progress, ct);
            if (result is not null)
            {
                return result;
            }
            progress = next!;
        }
    }

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

    /// <summary>
    /// One step of a rematch: the next <see cref="BatchCompanies"/> companies after
    /// <see cref="RematchProgress.After"/>, evaluated outside any transaction, then their rows swapped in
    /// one short transaction (delete the range's rows, insert, re-evaluate any company of the range
    /// saved meanwhile). Returns the progress for the next step, or, after the last one, the result
    /// (also recorded in rematch_runs). The job runs one step per Hangfire job, so none runs long.
    /// </summary>
    public async Task<(RematchProgress? Next, RematchResult? Done)> StepAsync(RematchProgress progress, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var asOf = DateOnly.ParseExact(progress.AsOf, "yyyy-MM-dd");
        var measures = (await FreshCatalogAsync(ct)).Where(m => progress.MeasureId is null || m.Row.MeasureId == progress.MeasureId).ToList();
        var changedSince = Stamp.Of(clock.GetUtcNow() - ChangeMargin);

        // 1. Evaluate, page by page, outside any transaction.
        var rows = new List<StoredMatch>();
        var companies = 0;
        var last = progress.After;
        while (companies < BatchCompanies)
        {
            var page = await store.CompanyPageAsync(last, Math.Min(PageSize, BatchCompanies - companies), ct);
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
            last = page[^1].Id;
        }
        var finished = companies < BatchCompanies;
        // The last step also clears rows of any company after the last one read (deleted meanwhile).
        var upTo = finished ? long.MaxValue : last;
        var evaluating = watch.Elapsed;

        // 2. Swap this range in one transaction.
        await using var db = await connections.OpenAsync(ct);
        await using var tx = await db.BeginTransactionAsync(ct);
        var changed = (await StoredMatches.ChangedSinceAsync(db, tx, changedSince, ct)).Where(c => c.Id > progress.After && c.Id <= upTo).ToList();
        var changedIds = changed.Select(c => c.Id).ToHashSet();
        var stamp = Stamp.Now(clock);
        var replaced = rows.Where(r => !changedIds.Contains(r.CompanyId)).Concat(changed.SelectMany(c => Evaluate(c, measures, asOf)));
        await StoredMatches.DeleteCompaniesAsync(db, tx, progress.After, upTo, progress.MeasureId, ct);
        var written = await StoredMatches.InsertAsync(db, tx, replaced, stamp, ct);
        watch.Stop();
        var next = progress with
        {
            After = last,
            Companies = progress.Companies + companies,
            Rows = progress.Rows + written,
            EvaluatingMs = progress.EvaluatingMs + (long)evaluating.TotalMilliseconds,
            WorkingMs = progress.WorkingMs + (long)watch.Elapsed.TotalMilliseconds,
        };
        RematchResult? result = null;
        if (finished)
        {
            result = new RematchResult(next.Scope, next.MeasureId, asOf, next.Companies, next.Rows, TimeSpan.FromMilliseconds(next.WorkingMs))
            {
                Evaluating = TimeSpan.FromMilliseconds(next.EvaluatingMs),
            };
            await StoredMatches.RecordRunAsync(db, tx, new RematchRun
            {
                Scope = next.Scope,
                MeasureId = next.MeasureId,
                AsOf = next.AsOf,
                StartedAt = next.StartedAt,
                FinishedAt = stamp,
                Companies = next.Companies,
                RowsWritten = next.Rows,
                DurationMs = next.WorkingMs,
            }, ct);
        }
        await tx.CommitAsync(ct);
        if (finished)
        {
            logger.LogInformation("Rematch {Scope} {Measure}: {Companies} companies, {Rows} rows in {Ms} ms of work",
                next.Scope, next.MeasureId ?? "*", next.Companies, next.Rows, next.WorkingMs);
        }
        return finished ? (null, result) : (next, null);
    }

    /// <summary>
    /// One company against the measures: the stored rows (every group but not eligible). A stored profile the
    /// portal cannot read (edited by hand: not JSON, not an object, a name twice) gets none, so it is eligible
    /// for nothing, as the impact preview counts it unreadable; the rematch goes on with the other companies
    /// (it used to stop at that row, and every later run with it, leaving every stored match stale).
    /// </summary>
    private StoredMatch[] Evaluate(CompanyProfileRow company, IReadOnlyList<PublishedMeasure> measures, DateOnly asOf)
    {
        if (!ProfileFacts.TryRead(Encoding.UTF8.GetBytes(company.ProfileJson), asOf, null, out var facts))
        {
            logger.LogWarning("Rematch: the stored profile of company {Company} cannot be read; it matches nothing until it is saved again", company.Id);
            return [];
        }
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
