using System.Data.Common;
using System.Globalization;
using System.Text.Json.Nodes;
using Dapper;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Admin;
using PolicyMatch.Web.Features.Catalog;
using PolicyMatch.Web.Features.Plans;
using PolicyMatch.Web.Features.Search;
using PolicyMatch.Web.Infrastructure.Data;

namespace PolicyMatch.Web.Features.Documents;

/// <summary>One stored text of a portal document.</summary>
public sealed record PlanVersionRow
{
    public string PlanId { get; init; } = "";
    public long Version { get; init; }
    public string Body { get; init; } = "";
    public string ContentHash { get; init; } = "";
    public string SourceName { get; init; } = "";
    public string CreatedAt { get; init; } = "";
    public string CreatedBy { get; init; } = "";
}

/// <summary>A measure version whose quote is no longer in the text of the clause it cites.</summary>
/// <remarks>Init properties, not a positional record: Dapper matches a constructor by exact column types,
/// and an INTEGER is Int64 on SQLite but Int32 on PostgreSQL.</remarks>
public sealed record LostQuote
{
    public string MeasureId { get; init; } = "";
    public long Version { get; init; }
    public string Status { get; init; } = "";
    public string Title { get; init; } = "";
    public string ClauseRef { get; init; } = "";
    public string Quote { get; init; } = "";
}

/// <summary>
/// Policy documents added by administrators: stored as plans (metadata, cleaned text, clauses from
/// <see cref="ClauseParser"/>), with every text kept in plan_versions. Each use case is one transaction
/// with its audit entry, and rebuilds the search index so the new clauses are found.
/// </summary>
public sealed class DocumentRepository(IDbConnectionFactory connections, CatalogRepository catalog, SearchRepository search, AuditLog audit, TimeProvider clock)
{
    public const string Entity = "document";
    public const string PastedSource = "(粘贴)";

    /// <summary>Stores a new document; its id is the next free plan number ('005', '006', …), like the seeded plans.</summary>
    public async Task<string> CreateAsync(DocumentMetadata meta, string body, string sourceName, long userId, string author, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        // Plan ids are three-digit numbers; the next one is taken inside the transaction (one writer
        // on SQLite; on PostgreSQL a concurrent insert of the same id fails on the primary key).
        var ids = await connection.QueryAsync<string>("SELECT id FROM plans", transaction: tx);
        var next = ids.Select(i => int.TryParse(i, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1).DefaultIfEmpty(-1).Max() + 1;
        var id = next.ToString("D3", CultureInfo.InvariantCulture);
        var hash = CatalogRepository.Hash(body);
        var plan = meta.ToPlan(id, $"{id}_{hash[..16]}.txt");
        var clauses = ClauseParser.Parse(body);
        await catalog.UpsertPlanAsync(connection, tx, plan, body, clauses);
        await connection.ExecuteAsync("UPDATE plans SET origin = 'portal', current_version = 1 WHERE id = @Id", new { Id = id }, tx);
        await InsertVersionAsync(connection, tx, id, 1, body, hash, sourceName, author);
        await search.RebuildAsync(connection, tx);
        await audit.WriteAsync(connection, tx, userId, AuditAction.DocumentCreated, Entity, id,
            new JsonObject { ["title"] = meta.Title, ["source"] = sourceName, ["clauses"] = clauses.Count, ["characters"] = body.Length });
        await tx.CommitAsync(ct);
        return id;
    }

    /// <summary>
    /// The measure versions that cite this document (the newest and the published one of each measure)
    /// whose quote would no longer occur in the clause they cite if the text became <paramref name="newBody"/>.
    /// </summary>
    public async Task<IReadOnlyList<LostQuote>> LostQuotesAsync(string planId, string newBody, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        var cited = await connection.QueryAsync<LostQuote>("""
            SELECT v.measure_id, v.version, m.status, v.title, v.clause_ref, v.quote
            FROM measures m JOIN measure_versions v ON v.measure_id = m.id
              AND (v.version = m.current_version OR v.version = m.published_version)
            WHERE m.plan_id = @PlanId
            ORDER BY v.measure_id, v.version
            """, new { PlanId = planId });
        var clauses = ClauseParser.Parse(newBody);
        return cited.Where(q => !ClauseParser.Subtree(clauses, q.ClauseRef).Any(c => c.Text.Contains(q.Quote, StringComparison.Ordinal))).ToList();
    }

    /// <summary>
    /// Replaces a portal document's text with a new version. The old text stays in plan_versions (the
    /// reader shows it with ?version=), and measure versions keep the quotes they were saved with; a
    /// measure whose quote is gone cannot be published again until it cites the new text.
    /// Returns the new version, or null when the text is unchanged.
    /// </summary>
    public async Task<long?> ReplaceTextAsync(string planId, string body, string sourceName, long userId, string author, int lostQuotes, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var plan = await connection.QuerySingleOrDefaultAsync<PlanRow>("SELECT * FROM plans WHERE id = @Id", new { Id = planId }, tx)
            ?? throw new InvalidOperationException($"no plan {planId}");
        var current = await connection.ExecuteScalarAsync<long>("SELECT current_version FROM plans WHERE id = @Id", new { Id = planId }, tx);
        var hash = CatalogRepository.Hash(body);
        if (plan.Body == body)
        {
            return null;
        }
        var version = current + 1;
        var document = new PlanDocument
        {
            Id = plan.Id, Document = plan.Document, Title = plan.Title, Issuer = plan.Issuer, DocumentNumber = plan.DocumentNumber,
            PublishedOn = plan.PublishedOn, Period = new DateRange(plan.PeriodFrom, plan.PeriodTo), Regions = plan.Regions,
            Attribution = plan.Attribution, Notes = plan.Notes,
        };
        await catalog.UpsertPlanAsync(connection, tx, document, body, ClauseParser.Parse(body));
        await connection.ExecuteAsync("UPDATE plans SET current_version = @Version WHERE id = @Id", new { Id = planId, Version = version }, tx);
        await InsertVersionAsync(connection, tx, planId, version, body, hash, sourceName, author);
        await search.RebuildAsync(connection, tx);
        await audit.WriteAsync(connection, tx, userId, AuditAction.DocumentTextReplaced, Entity, planId,
            new JsonObject { ["version"] = version, ["source"] = sourceName, ["lost_quotes"] = lostQuotes });
        await tx.CommitAsync(ct);
        return version;
    }

    public async Task<(string Origin, long CurrentVersion)?> GetOriginAsync(string planId, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<(string, long)?>(
            "SELECT origin, current_version FROM plans WHERE id = @Id", new { Id = planId });
    }

    public async Task<IReadOnlyList<PlanVersionRow>> GetVersionsAsync(string planId, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        return (await connection.QueryAsync<PlanVersionRow>(
            "SELECT * FROM plan_versions WHERE plan_id = @PlanId ORDER BY version", new { PlanId = planId })).ToList();
    }

    public async Task<PlanVersionRow?> GetVersionAsync(string planId, long version, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<PlanVersionRow>(
            "SELECT * FROM plan_versions WHERE plan_id = @PlanId AND version = @Version", new { PlanId = planId, Version = version });
    }

    private async Task InsertVersionAsync(DbConnection connection, DbTransaction tx, string planId, long version, string body, string hash, string sourceName, string author) =>
        await connection.ExecuteAsync("""
            INSERT INTO plan_versions (plan_id, version, body, content_hash, source_name, created_at, created_by)
            VALUES (@PlanId, @Version, @Body, @Hash, @SourceName, @Now, @Author)
            """,
            new { PlanId = planId, Version = version, Body = body, Hash = hash, SourceName = sourceName, Now = Stamp.Now(clock), Author = author }, tx);
}
