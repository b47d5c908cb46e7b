using Dapper;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Infrastructure.Data;

namespace PolicyMatch.Web.Features.Incubators;

public sealed record IncubatorRow
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
}

public sealed class IncubatorRepository(IDbConnectionFactory connections, TimeProvider clock)
{
    public async Task<IncubatorRow?> FindByNameAsync(string name, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return await db.QuerySingleOrDefaultAsync<IncubatorRow>("SELECT id, name FROM incubators WHERE name = @Name", new { Name = name.Trim() });
    }

    /// <summary>Creates an incubator with its first advisor.</summary>
    public async Task<long> CreateAsync(string name, long advisorId, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        await using var tx = await db.BeginTransactionAsync(ct);
        var id = await db.ExecuteScalarAsync<long>(
            "INSERT INTO incubators (name, created_at) VALUES (@Name, @Now) RETURNING id", new { Name = name, Now = Stamp.Now(clock) }, tx);
        await db.ExecuteAsync("INSERT INTO incubator_advisors (incubator_id, user_id) VALUES (@Id, @User)", new { Id = id, User = advisorId }, tx);
        await tx.CommitAsync(ct);
        return id;
    }

    /// <summary>The incubator an advisor works for (one per advisor in this version).</summary>
    public async Task<IncubatorRow?> ForAdvisorAsync(long userId, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return await db.QuerySingleOrDefaultAsync<IncubatorRow>("""
            SELECT i.id, i.name FROM incubators i JOIN incubator_advisors a ON a.incubator_id = i.id
            WHERE a.user_id = @User ORDER BY i.id LIMIT 1
            """, new { User = userId });
    }
}
