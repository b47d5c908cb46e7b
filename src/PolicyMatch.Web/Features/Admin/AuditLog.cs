using System.Data.Common;
using System.Text.Json.Nodes;
using Dapper;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Catalog;
using PolicyMatch.Web.Infrastructure.Data;

namespace PolicyMatch.Web.Features.Admin;

/// <summary>One line of the audit log, with the user's name as it is now.</summary>
public sealed record AuditEntry
{
    public long Id { get; init; }
    public string At { get; init; } = "";
    public long? UserId { get; init; }
    public string? UserName { get; init; }
    public string? UserEmail { get; init; }
    public string Action { get; init; } = "";
    public string Entity { get; init; } = "";
    public string EntityId { get; init; } = "";
    public string DetailsJson { get; init; } = "{}";

    public JsonObject Details() => JsonNode.Parse(DetailsJson) as JsonObject ?? [];
}

/// <summary>
/// Who did what (table audit_log). Entries are written inside the transaction of the change they
/// record, so a change without its entry (or an entry for a change rolled back) cannot happen.
/// </summary>
public sealed class AuditLog(IDbConnectionFactory connections, TimeProvider clock)
{
    public const int PageSize = 100;

    public async Task WriteAsync(DbConnection connection, DbTransaction tx, long? userId, AuditAction action, string entity, string entityId, JsonObject details) =>
        await connection.ExecuteAsync("""
            INSERT INTO audit_log (at, user_id, action, entity, entity_id, details_json)
            VALUES (@At, @UserId, @Action, @Entity, @EntityId, @Details)
            """,
            new { At = Stamp.Now(clock), UserId = userId, Action = action, Entity = entity, EntityId = entityId, Details = details.ToJsonString(CatalogJson.Compact) },
            tx);

    /// <summary>Writes one entry in its own transaction, for actions that change nothing else (an export).</summary>
    public async Task WriteAsync(long? userId, AuditAction action, string entity, string entityId, JsonObject details, CancellationToken ct = default)
    {
        await using var connection = await connections.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await WriteAsync(connection, tx, userId, action, entity, entityId, details);
        await tx.CommitAsync(ct);
    }

    /// <summary>Newest first, optionally of one entity kind (and one entity), before an entry id (paging).</summary>
    public Task<IReadOnlyList<AuditEntry>> ListAsync(string? entity = null, string? entityId = null, long? before = null, int limit = PageSize, CancellationToken ct = default) =>
        ListAsync(new AuditFilter { Entity = entity, EntityId = entityId }, before, limit, ct);

    /// <summary>Newest first, the entries the filter keeps, before an entry id (paging). Every value is a parameter.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ListAsync(AuditFilter filter, long? before, int limit = PageSize, CancellationToken ct = default)
    {
        await using var connection = await connections.OpenAsync(ct);
        return (await connection.QueryAsync<AuditEntry>(new CommandDefinition("""
            SELECT a.id, a.at, a.user_id, u.display_name AS user_name, u.email AS user_email,
                   a.action, a.entity, a.entity_id, a.details_json
            FROM audit_log a LEFT JOIN users u ON u.id = a.user_id
            WHERE (@Entity IS NULL OR a.entity = @Entity)
              AND (@EntityId IS NULL OR a.entity_id = @EntityId)
              AND (@Action IS NULL OR a.action = @Action)
              AND (@Who IS NULL OR LOWER(u.display_name) LIKE @Who ESCAPE '\' OR LOWER(u.email) LIKE @Who ESCAPE '\')
              AND (@Since IS NULL OR a.at >= @Since)
              AND (@Until IS NULL OR a.at < @Until)
              AND (@Before IS NULL OR a.id < @Before)
            ORDER BY a.id DESC
            LIMIT @Limit
            """, new // the action as its text: a null of a handled type would reach PostgreSQL without a type
            {
                filter.Entity, filter.EntityId, Action = filter.Action?.Value, Who = filter.WhoPattern, filter.Since, filter.Until, Before = before, Limit = limit,
            }, cancellationToken: ct))).ToList();
    }

    /// <summary>The entity kinds that have entries, for the filter.</summary>
    public async Task<IReadOnlyList<string>> EntitiesAsync(CancellationToken ct = default)
    {
        await using var connection = await connections.OpenAsync(ct);
        return (await connection.QueryAsync<string>("SELECT DISTINCT entity FROM audit_log ORDER BY entity")).ToList();
    }
}
