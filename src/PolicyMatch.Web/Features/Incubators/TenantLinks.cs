using System.Data.Common;
using System.Globalization;
using System.Text.Json.Nodes;
using Dapper;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Notices;
using PolicyMatch.Web.Infrastructure.Data;

namespace PolicyMatch.Web.Features.Incubators;

/// <summary>A request as the asking incubator's advisor sees it: what they typed, and the answer.</summary>
public sealed record LinkRequestRow
{
    public long Id { get; init; }
    public string Uscc { get; init; } = "";
    public string GivenName { get; init; } = "";
    public string Status { get; init; } = "";
    public string CreatedAt { get; init; } = "";
    public string? DecidedAt { get; init; }
}

/// <summary>A request as the company's owner sees it: who asks.</summary>
public sealed record LinkRequestForCompany
{
    public long Id { get; init; }
    public long CompanyId { get; init; }
    public string CompanyName { get; init; } = "";
    public long IncubatorId { get; init; }
    public string IncubatorName { get; init; } = "";
    public bool IncubatorVerified { get; init; }
    public string? RequestedByName { get; init; }
    public string CreatedAt { get; init; } = "";
}

/// <summary>
/// Linking a registered company to an incubator with its owner's consent. The advisor asks (by form or
/// by a row of a CSV import); the company's owners get an inbox item and an email; an owner approves
/// (the company becomes a tenant: the advisors can read and update its profile) or declines. Until
/// then the advisor sees only what they typed themselves — the code and the name — never the
/// company's record.
/// </summary>
public sealed class TenantLinks(IDbConnectionFactory connections, Admin.AuditLog audit, TimeProvider clock)
{
    /// <summary>
    /// Files a request inside the caller's transaction and tells the company's owners. Returns the
    /// request's id, or null when one is pending already (the unique index decides).
    /// </summary>
    public async Task<long?> RequestAsync(DbConnection db, DbTransaction tx, long incubatorId, long companyId, string uscc, string givenName, long advisorId, string now)
    {
        var id = await db.ExecuteScalarAsync<long?>("""
            INSERT INTO tenant_link_requests (incubator_id, company_id, uscc, given_name, requested_by, status, created_at)
            SELECT @Incubator, @Company, @Uscc, @Name, @Advisor, 'pending', @Now
            WHERE NOT EXISTS (SELECT 1 FROM incubator_tenants WHERE incubator_id = @Incubator AND company_id = @Company)
            ON CONFLICT DO NOTHING
            RETURNING id
            """, new { Incubator = incubatorId, Company = companyId, Uscc = uscc, Name = givenName, Advisor = advisorId, Now = now }, tx);
        if (id is null)
        {
            return null;
        }
        var names = await db.QuerySingleAsync<(string Incubator, string Company, string Advisor, long Unverified)>("""
            SELECT i.name, c.name, COALESCE((SELECT u.display_name FROM users u WHERE u.id = @Advisor), ''),
                   CASE WHEN c.verified_at IS NULL THEN 1 ELSE 0 END
            FROM incubators i, companies c WHERE i.id = @Incubator AND c.id = @Company
            """, new { Incubator = incubatorId, Company = companyId, Advisor = advisorId }, tx);
        await AccountMessages.WriteAsync(db, tx, $"link:{id}", companyId,
            $"孵化器“{names.Incubator}”请求将“{names.Company}”关联为在孵企业",
            $"{names.Incubator}的顾问{names.Advisor}请求将贵企业关联为该孵化器的在孵企业。\n\n" +
            "同意后,该孵化器的顾问可以查看贵企业的画像和匹配结果,并可更新画像(每次修改都记录在修改记录中,注明修改人)。" +
            "拒绝则对方看不到贵企业的任何信息。请在企业页面中同意或拒绝。" + AccountMessages.UnverifiedNote(names.Unverified == 1),
            $"/companies/{companyId}#links", await AccountMessages.OwnersAsync(db, tx, companyId), now);
        await audit.WriteAsync(db, tx, advisorId, Admin.AuditAction.LinkRequested, "incubator", incubatorId.ToString(CultureInfo.InvariantCulture),
            new JsonObject { ["company_id"] = companyId, ["request_id"] = id });
        return id;
    }

    /// <summary><see cref="RequestAsync(DbConnection, DbTransaction, long, long, string, string, long, string)"/> in a transaction of its own.</summary>
    public async Task<long?> RequestAsync(long incubatorId, long companyId, string uscc, string givenName, long advisorId, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        await using var tx = await db.BeginTransactionAsync(ct);
        var id = await RequestAsync(db, tx, incubatorId, companyId, uscc, givenName, advisorId, Stamp.Now(clock));
        await tx.CommitAsync(ct);
        return id;
    }

    /// <summary>The requests an incubator has made, newest first: pending ones, and answers of the last 90 days.</summary>
    public async Task<IReadOnlyList<LinkRequestRow>> OfIncubatorAsync(long incubatorId, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return (await db.QueryAsync<LinkRequestRow>("""
            SELECT id, uscc, given_name, status, created_at, decided_at FROM tenant_link_requests
            WHERE incubator_id = @Incubator AND (status = 'pending' OR decided_at >= @Since)
            ORDER BY id DESC
            """, new { Incubator = incubatorId, Since = Stamp.Of(clock.GetUtcNow().AddDays(-90)) })).ToList();
    }

    /// <summary>Pending requests to a company, for its owners.</summary>
    public async Task<IReadOnlyList<LinkRequestForCompany>> PendingForCompanyAsync(long companyId, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return (await db.QueryAsync<LinkRequestForCompany>("""
            SELECT r.id, r.company_id, c.name AS company_name, r.incubator_id, i.name AS incubator_name,
                   CASE WHEN i.verified_at IS NULL THEN 0 ELSE 1 END AS incubator_verified,
                   u.display_name AS requested_by_name, r.created_at
            FROM tenant_link_requests r JOIN incubators i ON i.id = r.incubator_id JOIN companies c ON c.id = r.company_id
            LEFT JOIN users u ON u.id = r.requested_by
            WHERE r.company_id = @Company AND r.status = 'pending' ORDER BY r.id
            """, new { Company = companyId })).ToList();
    }

    /// <summary>
    /// An owner's answer to a pending request of this company; false when there is none (another
    /// company's request id, a decided one, a made-up one). Approving makes the company a tenant.
    /// </summary>
    public async Task<bool> DecideAsync(long companyId, long requestId, bool approve, long ownerId, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        await using var tx = await db.BeginTransactionAsync(ct);
        var now = Stamp.Now(clock);
        var request = await db.QuerySingleOrDefaultAsync<DecidedLink>("""
            UPDATE tenant_link_requests SET status = @Status, decided_at = @Now, decided_by = @Owner
            WHERE id = @Id AND company_id = @Company AND status = 'pending'
            RETURNING incubator_id, requested_by, given_name
            """, new { Id = requestId, Company = companyId, Status = approve ? "approved" : "declined", Now = now, Owner = ownerId }, tx);
        if (request is not { } r)
        {
            return false;
        }
        if (approve)
        {
            await db.ExecuteAsync("""
                INSERT INTO incubator_tenants (incubator_id, company_id, added_at) VALUES (@Incubator, @Company, @Now)
                ON CONFLICT (incubator_id, company_id) DO NOTHING
                """, new { Incubator = r.IncubatorId, Company = companyId, Now = now }, tx);
        }
        if (r.RequestedBy is { } advisor)
        {
            // The advisor learns the answer; the company's name is theirs to see only once it agreed.
            await AccountMessages.WriteAsync(db, tx, $"link-decided:{requestId}", null,
                approve ? $"“{r.GivenName}”同意关联为在孵企业" : $"“{r.GivenName}”拒绝了关联请求",
                approve ? "该企业已同意关联,现已列入贵孵化器的在孵企业。" : "该企业拒绝了关联请求,您看不到该企业的信息。",
                "/incubator", [advisor], now);
        }
        await audit.WriteAsync(db, tx, ownerId, approve ? Admin.AuditAction.LinkApproved : Admin.AuditAction.LinkDeclined, "company",
            companyId.ToString(CultureInfo.InvariantCulture), new JsonObject { ["incubator_id"] = r.IncubatorId, ["request_id"] = requestId });
        await tx.CommitAsync(ct);
        return true;
    }
}

public sealed record DecidedLink
{
    public long IncubatorId { get; init; }
    public long? RequestedBy { get; init; }
    public string GivenName { get; init; } = "";
}

/// <summary>
/// Messages that need a user's decision (kind 'account'), written through the notices outbox in the
/// caller's transaction: an inbox item and an email each, sent whatever the user subscribed to.
/// </summary>
public static class AccountMessages
{
    public static async Task WriteAsync(DbConnection db, DbTransaction tx, string key, long? companyId, string title, string body, string link, IReadOnlyCollection<long> users, string now)
    {
        if (users.Count == 0)
        {
            return;
        }
        await NoticeOutbox.WriteAsync(db, tx, new MessageDraft(key, NoticeKind.Account, null, companyId, title, body, link, [], null, null), users, now);
    }

    /// <summary>What a message about a company adds while its ownership is unverified.</summary>
    public static string UnverifiedNote(bool unverified) =>
        unverified ? "\n\n(该企业尚未通过核验:管理员核对营业执照之前,企业显示为“未核验”。可在企业页面提交营业执照。)" : "";

    /// <summary>The company's owners: who decides about it.</summary>
    public static async Task<IReadOnlyCollection<long>> OwnersAsync(DbConnection db, DbTransaction tx, long companyId) =>
        (await db.QueryAsync<long>("SELECT user_id FROM company_members WHERE company_id = @Company AND role = 'owner'", new { Company = companyId }, tx)).ToList();
}
