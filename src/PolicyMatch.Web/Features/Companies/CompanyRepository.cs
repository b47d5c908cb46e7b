using System.Data.Common;
using System.Text.Json.Nodes;
using Dapper;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Catalog;
using PolicyMatch.Web.Infrastructure.Data;

namespace PolicyMatch.Web.Features.Companies;

public sealed record CompanyRow
{
    public long Id { get; init; }
    public string Uscc { get; init; } = "";
    public string Name { get; init; } = "";
    public string District { get; init; } = "";
    public string ProfileJson { get; init; } = "{}";
    public string UpdatedAt { get; init; } = "";

    /// <summary>When an administrator approved evidence of who owns it; null while unverified.</summary>
    public string? VerifiedAt { get; init; }

    public bool Verified => VerifiedAt is not null;

    public JsonObject Profile() => JsonNode.Parse(ProfileJson)!.AsObject();
}

public sealed record ProfileChange
{
    public long Id { get; init; }
    public string ChangedAt { get; init; } = "";
    public string? ChangedByName { get; init; }
    public string? ChangedByRole { get; init; }
    public string ChangedFactsJson { get; init; } = "[]";
}

public sealed record JoinRequestRow
{
    public long Id { get; init; }
    public long CompanyId { get; init; }
    public string CompanyName { get; init; } = "";
    public long UserId { get; init; }
    public string UserName { get; init; } = "";
    public string UserEmail { get; init; } = "";
    public string Status { get; init; } = "";
    public string CreatedAt { get; init; } = "";
}

/// <summary>Companies, their members, profile history and join requests.</summary>
public sealed class CompanyRepository(IDbConnectionFactory connections, TimeProvider clock)
{
    public async Task<CompanyRow?> FindAsync(long id, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return await db.QuerySingleOrDefaultAsync<CompanyRow>("SELECT * FROM companies WHERE id = @Id", new { Id = id });
    }

    public async Task<CompanyRow?> FindByUsccAsync(string uscc, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return await db.QuerySingleOrDefaultAsync<CompanyRow>("SELECT * FROM companies WHERE uscc = @Uscc", new { Uscc = Profiles.Uscc.Normalise(uscc) });
    }

    public async Task<IReadOnlyList<CompanyRow>> OfMemberAsync(long userId, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return (await db.QueryAsync<CompanyRow>("""
            SELECT c.* FROM companies c JOIN company_members m ON m.company_id = c.id
            WHERE m.user_id = @User ORDER BY c.name
            """, new { User = userId })).ToList();
    }

    /// <summary>The member's role in the company ('owner', 'member') or null.</summary>
    public async Task<string?> RoleOfAsync(long companyId, long userId, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return await db.ExecuteScalarAsync<string?>(
            "SELECT role FROM company_members WHERE company_id = @Company AND user_id = @User", new { Company = companyId, User = userId });
    }

    /// <summary>Whether the user advises an incubator that has the company as a tenant.</summary>
    public async Task<bool> IsAdvisedByAsync(long companyId, long userId, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return await db.ExecuteScalarAsync<bool>("""
            SELECT EXISTS (SELECT 1 FROM incubator_tenants t JOIN incubator_advisors a ON a.incubator_id = t.incubator_id
                           WHERE t.company_id = @Company AND a.user_id = @User)
            """, new { Company = companyId, User = userId });
    }

    /// <summary>
    /// A profile as <c>profile_json</c> keeps it (companies and profile_history): one line with Chinese
    /// unescaped, as the portal keeps JSON in its columns (<see cref="CatalogJson.Compact"/>). Readable in the
    /// database, and half the bytes of <c>\uXXXX</c> escapes for every reader of 100,000 profiles. Profiles
    /// stored escaped before this read the same.
    /// </summary>
    public static string StoredText(JsonObject profile) => profile.ToJsonString(CatalogJson.Compact);

    /// <summary>Creates a company with its first profile version; null when the USCC is taken.</summary>
    public async Task<long?> CreateAsync(JsonObject profile, long? ownerId, CancellationToken ct = default, DbConnection? connection = null, DbTransaction? transaction = null)
    {
        var own = connection is null;
        var db = connection ?? await connections.OpenAsync(ct);
        var tx = transaction ?? await db.BeginTransactionAsync(ct);
        try
        {
            var now = Stamp.Now(clock);
            var id = await db.ExecuteScalarAsync<long?>("""
                INSERT INTO companies (uscc, name, district, profile_json, created_at, updated_at)
                VALUES (@Uscc, @Name, @District, @Profile, @Now, @Now)
                ON CONFLICT (uscc) DO NOTHING
                RETURNING id
                """, new { Uscc = (string)profile["uscc"]!, Name = (string)profile["name"]!, District = (string)profile["district"]!, Profile = StoredText(profile), Now = now }, tx);
            if (id is null)
            {
                return null;
            }
            if (ownerId is { } owner)
            {
                await db.ExecuteAsync("INSERT INTO company_members (company_id, user_id, role) VALUES (@Id, @User, 'owner')", new { Id = id, User = owner }, tx);
            }
            await InsertHistoryAsync(db, tx, id.Value, ownerId, now, profile, profile.Select(kv => kv.Key));
            if (own) await tx.CommitAsync(ct);
            return id;
        }
        finally
        {
            if (own)
            {
                await tx.DisposeAsync();
                await db.DisposeAsync();
            }
        }
    }

    /// <summary>Saves a new profile and records which facts changed, by whom.</summary>
    public async Task<IReadOnlyList<string>> UpdateProfileAsync(long companyId, JsonObject profile, long userId, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        await using var tx = await db.BeginTransactionAsync(ct);
        var changed = await UpdateProfileAsync(db, tx, companyId, profile, userId);
        await tx.CommitAsync(ct);
        return changed;
    }

    /// <summary>
    /// <see cref="UpdateProfileAsync(long, JsonObject, long, CancellationToken)"/> inside the caller's
    /// transaction (a tenant import updates many companies at once, or none).
    /// </summary>
    public async Task<IReadOnlyList<string>> UpdateProfileAsync(DbConnection db, DbTransaction tx, long companyId, JsonObject profile, long userId)
    {
        var before = JsonNode.Parse(await db.ExecuteScalarAsync<string>("SELECT profile_json FROM companies WHERE id = @Id", new { Id = companyId }, tx) ?? "{}")!.AsObject();
        var changed = before.Select(kv => kv.Key).Union(profile.Select(kv => kv.Key))
            .Where(k => !JsonNode.DeepEquals(before[k], profile[k])).Order(StringComparer.Ordinal).ToList();
        if (changed.Count == 0)
        {
            return changed;
        }
        var now = Stamp.Now(clock);
        await db.ExecuteAsync("""
            UPDATE companies SET name = @Name, district = @District, profile_json = @Profile, updated_at = @Now WHERE id = @Id
            """, new { Id = companyId, Name = (string)profile["name"]!, District = (string)profile["district"]!, Profile = StoredText(profile), Now = now }, tx);
        await InsertHistoryAsync(db, tx, companyId, userId, now, profile, changed);
        return changed;
    }

    private static Task InsertHistoryAsync(DbConnection db, DbTransaction tx, long companyId, long? userId, string now, JsonObject profile, IEnumerable<string> changed) =>
        db.ExecuteAsync("""
            INSERT INTO profile_history (company_id, changed_by, changed_at, profile_json, changed_facts_json)
            VALUES (@Company, @User, @Now, @Profile, @Changed)
            """, new { Company = companyId, User = userId, Now = now, Profile = StoredText(profile), Changed = new JsonArray(changed.Select(c => (JsonNode?)c).ToArray()).ToJsonString() }, tx);

    public async Task<IReadOnlyList<ProfileChange>> HistoryAsync(long companyId, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return (await db.QueryAsync<ProfileChange>("""
            SELECT h.id, h.changed_at, u.display_name AS changed_by_name, u.role AS changed_by_role, h.changed_facts_json
            FROM profile_history h LEFT JOIN users u ON u.id = h.changed_by
            WHERE h.company_id = @Company ORDER BY h.id DESC
            """, new { Company = companyId })).ToList();
    }

    // ---- joining --------------------------------------------------------------------------------

    /// <summary>
    /// Files a request and tells the company's owners (inbox and email, in the same transaction);
    /// false when one is already pending or the user is a member.
    /// </summary>
    public async Task<bool> RequestToJoinAsync(long companyId, long userId, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        await using var tx = await db.BeginTransactionAsync(ct);
        var now = Stamp.Now(clock);
        var id = await db.ExecuteScalarAsync<long?>("""
            INSERT INTO join_requests (company_id, user_id, status, created_at)
            SELECT @Company, @User, 'pending', @Now
            WHERE NOT EXISTS (SELECT 1 FROM company_members WHERE company_id = @Company AND user_id = @User)
            ON CONFLICT DO NOTHING
            RETURNING id
            """, new { Company = companyId, User = userId, Now = now }, tx);
        if (id is null)
        {
            return false;
        }
        var names = await db.QuerySingleAsync<(string Company, string User, string Email, long Unverified)>(
            "SELECT c.name, u.display_name, u.email, CASE WHEN c.verified_at IS NULL THEN 1 ELSE 0 END FROM companies c, users u WHERE c.id = @Company AND u.id = @User",
            new { Company = companyId, User = userId }, tx);
        await Incubators.AccountMessages.WriteAsync(db, tx, $"join:{id}", companyId,
            $"{names.User}申请加入“{names.Company}”",
            $"{names.User}({names.Email})申请成为“{names.Company}”的成员。成员可以查看和编辑企业画像。\n\n请在“我的企业”页面批准或拒绝;不认识此人请拒绝。" + Incubators.AccountMessages.UnverifiedNote(names.Unverified == 1),
            "/companies", await Incubators.AccountMessages.OwnersAsync(db, tx, companyId), now);
        await tx.CommitAsync(ct);
        return true;
    }

    public async Task<IReadOnlyList<JoinRequestRow>> PendingRequestsAsync(long companyId, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return (await db.QueryAsync<JoinRequestRow>("""
            SELECT r.id, r.company_id, c.name AS company_name, r.user_id, u.display_name AS user_name, u.email AS user_email, r.status, r.created_at
            FROM join_requests r JOIN users u ON u.id = r.user_id JOIN companies c ON c.id = r.company_id
            WHERE r.company_id = @Company AND r.status = 'pending' ORDER BY r.id
            """, new { Company = companyId })).ToList();
    }

    /// <summary>Approves or rejects a pending request of this company; false if there is none.</summary>
    public async Task<bool> DecideAsync(long companyId, long requestId, bool approve, long deciderId, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        await using var tx = await db.BeginTransactionAsync(ct);
        var userId = await db.ExecuteScalarAsync<long?>("""
            UPDATE join_requests SET status = @Status, decided_at = @Now, decided_by = @Decider
            WHERE id = @Id AND company_id = @Company AND status = 'pending'
            RETURNING user_id
            """, new { Id = requestId, Company = companyId, Status = approve ? "approved" : "rejected", Now = Stamp.Now(clock), Decider = deciderId }, tx);
        if (userId is null)
        {
            return false;
        }
        if (approve)
        {
            await db.ExecuteAsync("""
                INSERT INTO company_members (company_id, user_id, role) VALUES (@Company, @User, 'member') ON CONFLICT DO NOTHING
                """, new { Company = companyId, User = userId }, tx);
        }
        await tx.CommitAsync(ct);
        return true;
    }
}
