using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Companies;
using PolicyMatch.Web.Infrastructure.Data;

namespace PolicyMatch.Web.Features.Incubators;

public sealed record IncubatorRow
{
    public long Id { get; init; }
    public string Name { get; init; } = "";

    /// <summary>When an administrator approved its evidence; null while unverified (it cannot add tenants).</summary>
    public string? VerifiedAt { get; init; }

    public bool Verified => VerifiedAt is not null;
}

/// <summary>An incubator with how many tenants it has (the administrators' list).</summary>
public sealed record IncubatorSummaryRow
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public long Tenants { get; init; }
}

/// <summary>A tenant company as the incubator's pages list it.</summary>
public sealed record TenantRow
{
    public long CompanyId { get; init; }
    public string Name { get; init; } = "";
    public string Uscc { get; init; } = "";
    public string District { get; init; } = "";
    public string ProfileJson { get; init; } = "{}";
    public string UpdatedAt { get; init; } = "";
    public string AddedAt { get; init; } = "";

    /// <summary>Null while the company's ownership is unverified (the lists and exports say so).</summary>
    public string? VerifiedAt { get; init; }

    public JsonObject Profile() => JsonNode.Parse(ProfileJson)!.AsObject();
}

public enum TenantAddOutcome
{
    /// <summary>A new company, created by the incubator (no owner until someone claims it).</summary>
    Created,

    /// <summary>The company was a tenant of this incubator already.</summary>
    AlreadyTenant,

    /// <summary>
    /// Someone registered the code between the caller's check and this insert (another incubator adding it at
    /// the same moment): as in an import, its owner is asked for consent instead.
    /// </summary>
    LinkRequested,

    /// <summary>As <see cref="LinkRequested"/>, but a request of this incubator was waiting already.</summary>
    LinkAlreadyRequested,
}

public sealed record TenantAdded(long CompanyId, string Name, string Uscc, TenantAddOutcome Outcome);

public sealed class IncubatorRepository(IDbConnectionFactory connections, CompanyRepository companies, Admin.AuditLog audit, TenantLinks links, TimeProvider clock)
{
    public async Task<IncubatorRow?> FindByNameAsync(string name, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return await db.QuerySingleOrDefaultAsync<IncubatorRow>("SELECT id, name, verified_at FROM incubators WHERE name = @Name", new { Name = name.Trim() });
    }

    public async Task<IncubatorRow?> FindAsync(long id, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return await db.QuerySingleOrDefaultAsync<IncubatorRow>("SELECT id, name, verified_at FROM incubators WHERE id = @Id", new { Id = id });
    }

    /// <summary>Creates an incubator with its first advisor.</summary>
    public async Task<long> CreateAsync(string name, long advisorId, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        await using var tx = await db.BeginTransactionAsync(ct);
        var id = await CreateAsync(db, tx, name, advisorId, Stamp.Now(clock));
        await tx.CommitAsync(ct);
        return id;
    }

    /// <summary>
    /// Creates an incubator with its first advisor in the caller's transaction. A name taken meanwhile throws
    /// the provider's unique violation (<see cref="UniqueViolation"/>): the caller rolls back and says so.
    /// </summary>
    public static async Task<long> CreateAsync(System.Data.Common.DbConnection db, System.Data.Common.DbTransaction tx, string name, long advisorId, string now)
    {
        var id = await db.ExecuteScalarAsync<long>(
            "INSERT INTO incubators (name, created_at) VALUES (@Name, @Now) RETURNING id", new { Name = name, Now = now }, tx);
        await db.ExecuteAsync("INSERT INTO incubator_advisors (incubator_id, user_id) VALUES (@Id, @User)", new { Id = id, User = advisorId }, tx);
        return id;
    }

    /// <summary>
    /// Marks an incubator verified: what an administrator's approval of its evidence does
    /// (<see cref="Companies.VerificationRepository.DecideAsync"/>), in the caller's transaction.
    /// </summary>
    public static Task VerifyAsync(System.Data.Common.DbConnection db, System.Data.Common.DbTransaction tx, long incubatorId, long adminId, string now) =>
        db.ExecuteAsync("UPDATE incubators SET verified_at = @Now, verified_by = @Admin WHERE id = @Id", new { Id = incubatorId, Admin = adminId, Now = now }, tx);

    /// <summary><see cref="VerifyAsync(System.Data.Common.DbConnection, System.Data.Common.DbTransaction, long, long, string)"/> in a transaction of its own.</summary>
    public async Task VerifyAsync(long incubatorId, long adminId, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        await using var tx = await db.BeginTransactionAsync(ct);
        await VerifyAsync(db, tx, incubatorId, adminId, Stamp.Now(clock));
        await tx.CommitAsync(ct);
    }

    /// <summary>The incubator an advisor works for (one per advisor in this version).</summary>
    public async Task<IncubatorRow?> ForAdvisorAsync(long userId, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return await db.QuerySingleOrDefaultAsync<IncubatorRow>("""
            SELECT i.id, i.name, i.verified_at FROM incubators i JOIN incubator_advisors a ON a.incubator_id = i.id
            WHERE a.user_id = @User ORDER BY i.id LIMIT 1
            """, new { User = userId });
    }

    public async Task<bool> IsAdvisorOfAsync(long incubatorId, long userId, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return await db.ExecuteScalarAsync<bool>(
            "SELECT EXISTS (SELECT 1 FROM incubator_advisors WHERE incubator_id = @Incubator AND user_id = @User)",
            new { Incubator = incubatorId, User = userId });
    }

    /// <summary>Every incubator with its tenant count, for administrators.</summary>
    public async Task<IReadOnlyList<IncubatorSummaryRow>> AllAsync(CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return (await db.QueryAsync<IncubatorSummaryRow>("""
            SELECT i.id, i.name, COUNT(t.company_id) AS tenants
            FROM incubators i LEFT JOIN incubator_tenants t ON t.incubator_id = i.id
            GROUP BY i.id, i.name ORDER BY i.name
            """)).ToList();
    }

    // ---- tenants --------------------------------------------------------------------------------

    private const string TenantColumns = """
        c.id AS company_id, c.name, c.uscc, c.district, c.profile_json, c.updated_at, t.added_at, c.verified_at
        """;

    public async Task<IReadOnlyList<TenantRow>> TenantsAsync(long incubatorId, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return (await db.QueryAsync<TenantRow>($"""
            SELECT {TenantColumns}
            FROM incubator_tenants t JOIN companies c ON c.id = t.company_id
            WHERE t.incubator_id = @Incubator
            ORDER BY c.name, c.id
            """, new { Incubator = incubatorId })).ToList();
    }

    public async Task<TenantRow?> TenantAsync(long incubatorId, long companyId, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return await db.QuerySingleOrDefaultAsync<TenantRow>($"""
            SELECT {TenantColumns}
            FROM incubator_tenants t JOIN companies c ON c.id = t.company_id
            WHERE t.incubator_id = @Incubator AND t.company_id = @Company
            """, new { Incubator = incubatorId, Company = companyId });
    }

    /// <summary>
    /// The codes among <paramref name="usccs"/> that belong to companies registered on the portal
    /// and not already tenants of this incubator. An incubator may not take such a company on by
    /// typing its code: the code is printed on every business licence, so knowing it proves nothing,
    /// and a tenancy would open the company's data to the incubator's advisors.
    /// </summary>
    public async Task<IReadOnlySet<string>> RegisteredElsewhereAsync(long incubatorId, IEnumerable<string> usccs, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return (await db.QueryAsync<string>($"""
            SELECT c.uscc FROM companies c
            WHERE {connections.Dialect.InList("c.uscc", "@Usccs")}
              AND NOT EXISTS (SELECT 1 FROM incubator_tenants t WHERE t.company_id = c.id AND t.incubator_id = @Incubator)
            """, new { Usccs = usccs.Distinct().ToList(), Incubator = incubatorId })).ToHashSet();
    }

    /// <summary>
    /// Adds companies as tenants in one transaction — all of them or, on any failure, none. A
    /// company whose USCC is new is created without an owner; one that is already this incubator's
    /// tenant is left as it is. Callers check <see cref="RegisteredElsewhereAsync"/> first; a code
    /// registered elsewhere that slips through (a race) becomes a link request to its owner.
    /// </summary>
    public async Task<IReadOnlyList<TenantAdded>> AddTenantsAsync(
        long incubatorId, IReadOnlyList<JsonObject> profiles, long advisorId, Admin.AuditAction action, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        await using var tx = await db.BeginTransactionAsync(ct);
        var now = Stamp.Now(clock);
        var added = new List<TenantAdded>(profiles.Count);
        foreach (var profile in profiles)
        {
            var uscc = profile["uscc"]!.GetValue<string>();
            // Insert first and read only on conflict: the unique index decides, not an earlier read.
            var createdId = await companies.CreateAsync(profile, ownerId: null, ct, db, tx);
            long companyId;
            string name;
            if (createdId is { } created)
            {
                companyId = created;
                name = profile["name"]!.GetValue<string>();
                // CreateAsync records the first profile version as nobody's (no owner); it was this advisor's.
                await db.ExecuteAsync(
                    "UPDATE profile_history SET changed_by = @Advisor WHERE company_id = @Company AND changed_by IS NULL",
                    new { Advisor = advisorId, Company = companyId }, tx);
            }
            else
            {
                var existing = await db.QuerySingleAsync<(long Id, string Name)>(
                    "SELECT id, name FROM companies WHERE uscc = @Uscc", new { Uscc = uscc }, tx);
                (companyId, name) = existing;
                var tenant = await db.ExecuteScalarAsync<bool>(
                    "SELECT EXISTS (SELECT 1 FROM incubator_tenants WHERE incubator_id = @Incubator AND company_id = @Company)",
                    new { Incubator = incubatorId, Company = companyId }, tx);
                if (!tenant)
                {
                    var requested = await links.RequestAsync(db, tx, incubatorId, companyId, uscc, profile["name"]!.GetValue<string>(), advisorId, now);
                    added.Add(new TenantAdded(companyId, profile["name"]!.GetValue<string>(), uscc,
                        requested is null ? TenantAddOutcome.LinkAlreadyRequested : TenantAddOutcome.LinkRequested));
                    continue;
                }
            }
            var inserted = await db.ExecuteAsync("""
                INSERT INTO incubator_tenants (incubator_id, company_id, added_at) VALUES (@Incubator, @Company, @Now)
                ON CONFLICT (incubator_id, company_id) DO NOTHING
                """, new { Incubator = incubatorId, Company = companyId, Now = now }, tx);
            added.Add(new TenantAdded(companyId, name, uscc,
                createdId is not null ? TenantAddOutcome.Created : TenantAddOutcome.AlreadyTenant));
        }
        await AuditAsync(db, tx, advisorId, action, incubatorId, new
        {
            created = added.Where(a => a.Outcome == TenantAddOutcome.Created).Select(a => a.CompanyId),
            already_tenants = added.Where(a => a.Outcome == TenantAddOutcome.AlreadyTenant).Select(a => a.CompanyId),
            link_requested = added.Where(a => a.Outcome is TenantAddOutcome.LinkRequested or TenantAddOutcome.LinkAlreadyRequested).Select(a => a.CompanyId),
        });
        await tx.CommitAsync(ct);
        return added;
    }

    /// <summary>
    /// Ends a tenancy. The company itself stays: it may have members of its own, and a profile
    /// history that other pages show.
    /// </summary>
    public async Task<bool> RemoveTenantAsync(long incubatorId, long companyId, long advisorId, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        await using var tx = await db.BeginTransactionAsync(ct);
        var removed = await db.ExecuteAsync(
            "DELETE FROM incubator_tenants WHERE incubator_id = @Incubator AND company_id = @Company",
            new { Incubator = incubatorId, Company = companyId }, tx);
        if (removed == 0)
        {
            return false;
        }
        await AuditAsync(db, tx, advisorId, Admin.AuditAction.TenantRemoved, incubatorId, new { company_id = companyId });
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>Every change to an incubator's tenants goes to the one audit log, in the same transaction.</summary>
    private Task AuditAsync(System.Data.Common.DbConnection db, System.Data.Common.DbTransaction tx, long userId, Admin.AuditAction action, long incubatorId, object details) =>
        audit.WriteAsync(db, tx, userId, action, "incubator", incubatorId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            JsonSerializer.SerializeToNode(details)!.AsObject());
}
