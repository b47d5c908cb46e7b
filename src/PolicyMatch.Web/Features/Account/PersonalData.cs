using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using PolicyMatch.Web.Infrastructure.Data;

namespace PolicyMatch.Web.Features.Account;

/// <summary>The privacy notice users agree to when they register (/privacy). A new text gets a new version.</summary>
public static class PrivacyNotice
{
    public const string Version = "2026-12-05";
}

/// <summary>A company the user alone owns, with the other members it could be handed to.</summary>
public sealed record SoleOwnedCompany(long Id, string Name, string Uscc, IReadOnlyList<(long UserId, string Name, string Email)> Members);

/// <summary>
/// A user's personal data: everything stored about them as one JSON document, and deleting the
/// account. Companies they alone own are handed to another member or removed, as they choose on the
/// page; what stays (the profile history of companies that stay, the audit log) stops naming them.
/// </summary>
public sealed class PersonalData(IDbConnectionFactory connections, TimeProvider clock)
{
    public async Task RecordConsentAsync(long userId, string version, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        await db.ExecuteAsync("UPDATE users SET privacy_version = @Version, privacy_accepted_at = @Now WHERE id = @Id",
            new { Id = userId, Version = version, Now = Stamp.Now(clock) });
    }

    public async Task<IReadOnlyList<SoleOwnedCompany>> SoleOwnedAsync(long userId, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        var companies = await db.QueryAsync<(long Id, string Name, string Uscc)>("""
            SELECT c.id, c.name, c.uscc FROM companies c JOIN company_members m ON m.company_id = c.id
            WHERE m.user_id = @User AND m.role = 'owner'
              AND NOT EXISTS (SELECT 1 FROM company_members o WHERE o.company_id = c.id AND o.role = 'owner' AND o.user_id <> @User)
            ORDER BY c.name
            """, new { User = userId });
        var list = new List<SoleOwnedCompany>();
        foreach (var (id, name, uscc) in companies)
        {
            var members = (await db.QueryAsync<(long, string, string)>("""
                SELECT u.id, u.display_name, u.email FROM company_members m JOIN users u ON u.id = m.user_id
                WHERE m.company_id = @Company AND m.user_id <> @User ORDER BY u.display_name
                """, new { Company = id, User = userId })).ToList();
            list.Add(new SoleOwnedCompany(id, name, uscc, members));
        }
        return list;
    }

    /// <summary>Everything stored about the user, as the download gives it (the evidence files by name and hash).</summary>
    public async Task<JsonObject> ExportAsync(long userId, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        // Untyped rows on purpose: the export copies whatever columns each query names into JSON, so a
        // column added to a query shows up in the download without a record type to keep in step.
        async Task<JsonArray> Rows(string sql)
        {
            var rows = await db.QueryAsync(sql, new { User = userId });
            var array = new JsonArray();
            foreach (IDictionary<string, object?> row in rows)
            {
                var item = new JsonObject();
                foreach (var (key, value) in row)
                {
                    item[key] = key.EndsWith("_json", StringComparison.Ordinal) && value is string json
                        ? JsonNode.Parse(json)
                        : JsonSerializer.SerializeToNode(value is byte[] ? null : value);
                }
                array.Add(item);
            }
            return array;
        }
        var user = (await Rows("SELECT id, email, display_name, role, created_at, privacy_version, privacy_accepted_at FROM users WHERE id = @User")).SingleOrDefault();
        return new JsonObject
        {
            ["exported_at"] = Stamp.Now(clock),
            ["about"] = "惠企政策精准匹配平台保存的与您的账户有关的全部数据 / Everything PolicyMatch stores about your account",
            ["account"] = user?.DeepClone(),
            ["companies"] = await Rows("""
                SELECT c.id, c.name, c.uscc, c.district, m.role, c.profile_json, c.created_at, c.updated_at, c.verified_at
                FROM companies c JOIN company_members m ON m.company_id = c.id WHERE m.user_id = @User ORDER BY c.id
                """),
            ["profile_changes_by_you"] = await Rows("""
                SELECT h.company_id, h.changed_at, h.changed_facts_json FROM profile_history h WHERE h.changed_by = @User ORDER BY h.id
                """),
            ["join_requests"] = await Rows("SELECT company_id, status, created_at, decided_at FROM join_requests WHERE user_id = @User ORDER BY id"),
            ["incubators"] = await Rows("""
                SELECT i.id, i.name, i.created_at, i.verified_at FROM incubators i JOIN incubator_advisors a ON a.incubator_id = i.id WHERE a.user_id = @User
                """),
            ["link_requests_you_made"] = await Rows("SELECT incubator_id, uscc, given_name, status, created_at, decided_at FROM tenant_link_requests WHERE requested_by = @User ORDER BY id"),
            ["evidence_you_sent"] = await Rows("""
                SELECT kind, company_id, incubator_id, statement, file_name, content_type, size, sha256, status, created_at, decided_at, decision_note
                FROM verification_requests WHERE user_id = @User ORDER BY id
                """),
            ["subscriptions"] = await Rows("SELECT kind, subscribed_at FROM notice_subscriptions WHERE user_id = @User ORDER BY kind"),
            ["messages"] = await Rows("""
                SELECT d.channel, d.status, m.kind, m.title, m.body, d.created_at, d.sent_at, d.acknowledged_at
                FROM notice_deliveries d JOIN notice_messages m ON m.id = d.message_id WHERE d.user_id = @User ORDER BY d.id
                """),
            ["audit_log"] = await Rows("SELECT at, action, entity, entity_id, details_json FROM audit_log WHERE user_id = @User ORDER BY id"),
        };
    }

    /// <summary>
    /// Deletes the account in one transaction. <paramref name="decisions"/> says, for each company the
    /// user alone owns, "member:{userId}" (hand it over) or "remove"; a company without a valid
    /// decision stops everything (returns its name) and nothing is deleted.
    /// </summary>
    public async Task<string?> DeleteAsync(long userId, IReadOnlyDictionary<long, string> decisions, CancellationToken ct = default)
    {
        var sole = await SoleOwnedAsync(userId, ct);
        await using var db = await connections.OpenAsync(ct);
        await using var tx = await db.BeginTransactionAsync(ct);
        foreach (var company in sole)
        {
            var decision = decisions.GetValueOrDefault(company.Id);
            if (decision == "remove")
            {
                // company_matches has no foreign keys (it is derived and rewritten daily): cleared by hand.
                await db.ExecuteAsync("DELETE FROM company_matches WHERE company_id = @Id", new { company.Id }, tx);
                await db.ExecuteAsync("DELETE FROM companies WHERE id = @Id", new { company.Id }, tx);
            }
            else if (decision is not null && decision.StartsWith("member:", StringComparison.Ordinal)
                     && long.TryParse(decision["member:".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var heir)
                     && company.Members.Any(m => m.UserId == heir))
            {
                await db.ExecuteAsync("UPDATE company_members SET role = 'owner' WHERE company_id = @Id AND user_id = @Heir", new { company.Id, Heir = heir }, tx);
            }
            else
            {
                return company.Name;
            }
        }
        // What stays (other people's records) stops pointing at the account.
        await db.ExecuteAsync("UPDATE profile_history SET changed_by = NULL WHERE changed_by = @User", new { User = userId }, tx);
        await db.ExecuteAsync("UPDATE join_requests SET decided_by = NULL WHERE decided_by = @User", new { User = userId }, tx);
        await db.ExecuteAsync("UPDATE audit_log SET user_id = NULL WHERE user_id = @User", new { User = userId }, tx);
        await db.ExecuteAsync("UPDATE notice_schedules SET created_by = NULL WHERE created_by = @User", new { User = userId }, tx);
        await db.ExecuteAsync("UPDATE notice_schedules SET cancelled_by = NULL WHERE cancelled_by = @User", new { User = userId }, tx);
        await db.ExecuteAsync("DELETE FROM login_throttle WHERE email = (SELECT email FROM users WHERE id = @User)", new { User = userId }, tx);
        await db.ExecuteAsync("DELETE FROM users WHERE id = @User", new { User = userId }, tx);
        await tx.CommitAsync(ct);
        return null;
    }
}
