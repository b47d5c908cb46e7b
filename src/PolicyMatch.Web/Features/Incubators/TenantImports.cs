using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Companies;
using PolicyMatch.Web.Infrastructure.Data;

namespace PolicyMatch.Web.Features.Incubators;

/// <summary>A tenant whose profile the file changes: the facts before and after, for the preview.</summary>
public sealed record TenantUpdate(int Line, long CompanyId, string Name, string Uscc, JsonObject Before, JsonObject After, IReadOnlyList<string> Changed);

/// <summary>A row of a company registered by someone else: it becomes a request to its owner.</summary>
public sealed record LinkRow(int Line, long CompanyId, string Uscc, string GivenName, bool AlreadyRequested);

/// <summary>
/// What importing a checked file would do: create the new companies, update the tenants whose facts
/// differ, leave the unchanged tenants alone, and ask the owners of companies registered by others.
/// <see cref="Fingerprint"/> names exactly this plan, so a confirmation applies what was previewed.
/// </summary>
public sealed record TenantImportPlan(
    IReadOnlyList<CsvTenant> New, IReadOnlyList<TenantUpdate> Updates, IReadOnlyList<TenantUpdate> Unchanged, IReadOnlyList<LinkRow> Links, string Fingerprint)
{
    /// <summary>Only new companies (or nothing new at all): nothing existing changes, so no preview is needed.</summary>
    public bool TouchesOnlyNew => Updates.Count == 0 && Links.Count == 0;
}

/// <summary>What an applied import did.</summary>
public sealed record TenantImportOutcome(IReadOnlyList<long> Created, IReadOnlyList<long> Updated, int Unchanged, int Requested, int AlreadyRequested);

/// <summary>A file waiting between its preview and the advisor's confirmation.</summary>
public sealed record ImportDraft
{
    public long Id { get; init; }
    public long IncubatorId { get; init; }
    public long UserId { get; init; }
    public string FileName { get; init; } = "";
    public byte[] Content { get; init; } = [];
    public string Fingerprint { get; init; } = "";
}

/// <summary>
/// Imports a checked tenant file against what is registered: new codes become companies (as before),
/// codes of this incubator's tenants update their profiles — only the facts the file fills in; a blank
/// cell leaves the fact as it is, so a sparse spreadsheet never erases what the company entered — and
/// codes registered by others become link requests to their owners. Anything that changes an existing
/// company is shown first and applied only when the advisor confirms (see the controller).
/// </summary>
public sealed class TenantImports(IDbConnectionFactory connections, CompanyRepository companies, TenantLinks links, Admin.AuditLog audit, TimeProvider clock)
{
    /// <summary>How long a previewed file waits for its confirmation.</summary>
    public static readonly TimeSpan DraftLifetime = TimeSpan.FromDays(1);

    private sealed record Registered
    {
        public long Id { get; init; }
        public string Uscc { get; init; } = "";
        public string Name { get; init; } = "";
        public string ProfileJson { get; init; } = "{}";
        public bool IsTenant { get; init; }
        public bool LinkPending { get; init; }
    }

    public async Task<TenantImportPlan> PlanAsync(long incubatorId, IReadOnlyList<CsvTenant> rows, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return await PlanAsync(db, null, incubatorId, rows);
    }

    private async Task<TenantImportPlan> PlanAsync(System.Data.Common.DbConnection db, System.Data.Common.DbTransaction? tx, long incubatorId, IReadOnlyList<CsvTenant> rows)
    {
        var usccs = rows.Select(r => r.Profile["uscc"]!.GetValue<string>()).Distinct().ToList();
        var registered = (await db.QueryAsync<Registered>($"""
            SELECT c.id, c.uscc, c.name, c.profile_json,
                   CASE WHEN EXISTS (SELECT 1 FROM incubator_tenants t WHERE t.company_id = c.id AND t.incubator_id = @Incubator) THEN 1 ELSE 0 END AS is_tenant,
                   CASE WHEN EXISTS (SELECT 1 FROM tenant_link_requests r WHERE r.company_id = c.id AND r.incubator_id = @Incubator AND r.status = 'pending') THEN 1 ELSE 0 END AS link_pending
            FROM companies c WHERE {connections.Dialect.InList("c.uscc", "@Usccs")}
            """, new { Usccs = usccs, Incubator = incubatorId }, tx)).ToDictionary(r => r.Uscc);
        var fresh = new List<CsvTenant>();
        var updates = new List<TenantUpdate>();
        var unchanged = new List<TenantUpdate>();
        var linkRows = new List<LinkRow>();
        foreach (var row in rows)
        {
            var uscc = row.Profile["uscc"]!.GetValue<string>();
            if (!registered.TryGetValue(uscc, out var company))
            {
                fresh.Add(row);
            }
            else if (company.IsTenant)
            {
                var before = JsonNode.Parse(company.ProfileJson)!.AsObject();
                var after = Merge(before, row.Profile);
                var changed = Changes(before, after);
                (changed.Count > 0 ? updates : unchanged).Add(new TenantUpdate(row.Line, company.Id, company.Name, uscc, before, after, changed));
            }
            else
            {
                linkRows.Add(new LinkRow(row.Line, company.Id, uscc, row.Profile["name"]!.GetValue<string>(), company.LinkPending));
            }
        }
        return new TenantImportPlan(fresh, updates, unchanged, linkRows, Fingerprint(fresh, updates, linkRows));
    }

    /// <summary>The tenant's profile with the file's facts put in; facts the file leaves blank stay.</summary>
    public static JsonObject Merge(JsonObject before, JsonObject file)
    {
        var after = before.DeepClone().AsObject();
        foreach (var (key, value) in file)
        {
            // The import marks every row a tenant unless the file says otherwise; on an update that
            // default must not overwrite what the company answered itself.
            if (key == "incubator_tenant" && before.ContainsKey(key))
            {
                continue;
            }
            after[key] = value?.DeepClone();
        }
        return after;
    }

    public static IReadOnlyList<string> Changes(JsonObject before, JsonObject after) =>
        before.Select(kv => kv.Key).Union(after.Select(kv => kv.Key))
            .Where(k => !JsonNode.DeepEquals(before[k], after[k])).Order(StringComparer.Ordinal).ToList();

    private static string Fingerprint(IReadOnlyList<CsvTenant> fresh, IReadOnlyList<TenantUpdate> updates, IReadOnlyList<LinkRow> linkRows)
    {
        var text = new StringBuilder();
        foreach (var f in fresh) text.Append("N|").Append(f.Profile["uscc"]).Append('\n');
        foreach (var u in updates) text.Append("U|").Append(u.CompanyId).Append('|').Append(u.Before.ToJsonString()).Append('|').Append(u.After.ToJsonString()).Append('\n');
        foreach (var l in linkRows) text.Append("L|").Append(l.CompanyId).Append('|').Append(l.AlreadyRequested).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    // ---- drafts between preview and confirmation ------------------------------------------------

    public async Task<long> SaveDraftAsync(long incubatorId, long userId, string fileName, byte[] content, string fingerprint, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        await using var tx = await db.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow();
        // Previews nobody confirmed are dropped after a day, whenever anyone previews again.
        await db.ExecuteAsync("DELETE FROM tenant_import_drafts WHERE created_at < @Before", new { Before = Stamp.Of(now - DraftLifetime) }, tx);
        var id = await db.ExecuteScalarAsync<long>("""
            INSERT INTO tenant_import_drafts (incubator_id, user_id, file_name, content, fingerprint, created_at)
            VALUES (@Incubator, @User, @FileName, @Content, @Fingerprint, @Now) RETURNING id
            """, new { Incubator = incubatorId, User = userId, FileName = fileName, Content = content, Fingerprint = fingerprint, Now = Stamp.Of(now) }, tx);
        await tx.CommitAsync(ct);
        return id;
    }

    /// <summary>The draft if it is this advisor's, for this incubator, and not expired; null otherwise.</summary>
    public async Task<ImportDraft?> FindDraftAsync(long draftId, long incubatorId, long userId, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return await db.QuerySingleOrDefaultAsync<ImportDraft>("""
            SELECT id, incubator_id, user_id, file_name, content, fingerprint FROM tenant_import_drafts
            WHERE id = @Id AND incubator_id = @Incubator AND user_id = @User AND created_at >= @Since
            """, new { Id = draftId, Incubator = incubatorId, User = userId, Since = Stamp.Of(clock.GetUtcNow() - DraftLifetime) });
    }

    public async Task UpdateDraftFingerprintAsync(long draftId, string fingerprint, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        await db.ExecuteAsync("UPDATE tenant_import_drafts SET fingerprint = @Fingerprint WHERE id = @Id", new { Id = draftId, Fingerprint = fingerprint });
    }

    // ---- applying -------------------------------------------------------------------------------

    /// <summary>
    /// Applies the file in one transaction — all of it or nothing. The plan is worked out again inside
    /// the transaction, so what is written is what the database holds now; the caller compared its
    /// fingerprint with the previewed one just before. A new code that someone registered in the
    /// meantime becomes a link request, never a takeover.
    /// </summary>
    public async Task<TenantImportOutcome> ApplyAsync(long incubatorId, IReadOnlyList<CsvTenant> rows, long advisorId, long? draftId, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        await using var tx = await db.BeginTransactionAsync(ct);
        var plan = await PlanAsync(db, tx, incubatorId, rows);
        var now = Stamp.Now(clock);
        var created = new List<long>();
        var updated = new List<long>();
        var requested = 0;
        var alreadyRequested = plan.Links.Count(l => l.AlreadyRequested);
        foreach (var row in plan.New)
        {
            var id = await companies.CreateAsync(row.Profile, ownerId: null, ct, db, tx);
            if (id is null)
            {
                var company = await db.QuerySingleAsync<long>("SELECT id FROM companies WHERE uscc = @Uscc", new { Uscc = row.Profile["uscc"]!.GetValue<string>() }, tx);
                requested += await links.RequestAsync(db, tx, incubatorId, company, row.Profile["uscc"]!.GetValue<string>(), row.Profile["name"]!.GetValue<string>(), advisorId, now) is null ? 0 : 1;
                continue;
            }
            // CreateAsync records the first profile version as nobody's (no owner); it was this advisor's.
            await db.ExecuteAsync(
                "UPDATE profile_history SET changed_by = @Advisor WHERE company_id = @Company AND changed_by IS NULL",
                new { Advisor = advisorId, Company = id }, tx);
            await db.ExecuteAsync("""
                INSERT INTO incubator_tenants (incubator_id, company_id, added_at) VALUES (@Incubator, @Company, @Now)
                ON CONFLICT (incubator_id, company_id) DO NOTHING
                """, new { Incubator = incubatorId, Company = id, Now = now }, tx);
            created.Add(id.Value);
        }
        foreach (var update in plan.Updates)
        {
            if ((await companies.UpdateProfileAsync(db, tx, update.CompanyId, update.After, advisorId)).Count > 0)
            {
                updated.Add(update.CompanyId);
            }
        }
        foreach (var link in plan.Links.Where(l => !l.AlreadyRequested))
        {
            requested += await links.RequestAsync(db, tx, incubatorId, link.CompanyId, link.Uscc, link.GivenName, advisorId, now) is null ? 0 : 1;
        }
        if (draftId is { } draft)
        {
            await db.ExecuteAsync("DELETE FROM tenant_import_drafts WHERE id = @Id", new { Id = draft }, tx);
        }
        await audit.WriteAsync(db, tx, advisorId, Admin.AuditAction.TenantsImported, "incubator", incubatorId.ToString(CultureInfo.InvariantCulture),
            JsonSerializer.SerializeToNode(new { created, updated, unchanged = plan.Unchanged.Select(u => u.CompanyId), link_requests = requested })!.AsObject());
        await tx.CommitAsync(ct);
        return new TenantImportOutcome(created, updated, plan.Unchanged.Count, requested, alreadyRequested);
    }
}
