using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Admin;
using PolicyMatch.Web.Infrastructure.Data;

namespace PolicyMatch.Web.Features.Notices;

/// <summary>
/// The transactional outbox: messages and their deliveries (one per user and channel), written before
/// anything is sent. The dispatcher's claims and results are <see cref="DeliveryQueue"/>; what the jobs
/// dashboard shows and retries is <see cref="DeliveryDashboard"/>. See README.md for the state machine.
/// </summary>
public sealed class NoticeOutbox(IDbConnectionFactory connections, TimeProvider clock)
{
    // The states as SQL text, from their one home (DeliveryStatus); constants of the portal, never user input.
    private static readonly string Pending = DeliveryStatus.Pending, Sent = DeliveryStatus.Sent;

    /// <summary>
    /// Writes a message and one delivery per user and channel, inside the caller's transaction. Idempotent:
    /// the message is found by its key and the unique (message, user, channel) drops what exists, so
    /// running it again adds only users who were not there before.
    /// </summary>
    public static async Task<OutboxWrite> WriteAsync(DbConnection db, DbTransaction tx, MessageDraft draft, IReadOnlyCollection<long> userIds, string now)
    {
        await db.ExecuteAsync("""
            INSERT INTO notice_messages (key, kind, notice_id, company_id, title, body, link, items_json, window_opens, window_closes, created_at)
            VALUES (@Key, @Kind, @NoticeId, @CompanyId, @Title, @Body, @Link, @Items, @WindowOpens, @WindowCloses, @Now)
            ON CONFLICT (key) DO NOTHING
            """,
            new
            {
                draft.Key,
                draft.Kind,
                draft.NoticeId,
                draft.CompanyId,
                draft.Title,
                draft.Body,
                draft.Link,
                Items = MessageItems.Write(draft.Items),
                draft.WindowOpens,
                draft.WindowCloses,
                Now = now,
            }, tx);
        var messageId = await db.ExecuteScalarAsync<long>("SELECT id FROM notice_messages WHERE key = @Key", new { draft.Key }, tx);
        var users = JsonSerializer.Serialize(userIds.Distinct().Order());
        // One statement per channel, however many users: the JSON id list becomes rows.
        // An inbox delivery is delivered by being written; an email one waits for the dispatcher.
        var userRows = SqlDialect.Of(db).JsonArrayRows("@Users", "j");
        var inbox = await db.ExecuteAsync($"""
            INSERT INTO notice_deliveries (message_id, user_id, channel, status, created_at, sent_at)
            SELECT @Message, CAST(j.value AS BIGINT), 'inbox', '{Sent}', @Now, @Now FROM {userRows} WHERE true
            ON CONFLICT (message_id, user_id, channel) DO NOTHING
            """, new { Message = messageId, Users = users, Now = now }, tx);
        var email = await db.ExecuteAsync($"""
            INSERT INTO notice_deliveries (message_id, user_id, channel, status, next_attempt_at, created_at)
            SELECT @Message, CAST(j.value AS BIGINT), 'email', '{Pending}', @Now, @Now FROM {userRows} WHERE true
            ON CONFLICT (message_id, user_id, channel) DO NOTHING
            """, new { Message = messageId, Users = users, Now = now }, tx);
        return new OutboxWrite(messageId, inbox, email);
    }

    /// <summary>Records the companies a message concerns (one statement, however many); idempotent.</summary>
    public static async Task WriteCompaniesAsync(DbConnection db, DbTransaction tx, long messageId, IReadOnlyCollection<long> companyIds)
    {
        var rows = SqlDialect.Of(db).JsonArrayRows("@Companies", "j");
        await db.ExecuteAsync($"""
            INSERT INTO notice_message_companies (message_id, company_id)
            SELECT @Message, CAST(j.value AS BIGINT) FROM {rows} WHERE true
            ON CONFLICT (message_id, company_id) DO NOTHING
            """, new { Message = messageId, Companies = JsonSerializer.Serialize(companyIds.Distinct().Order()) }, tx);
    }

    /// <summary>
    /// The companies each delivery's message concerns among its user's companies (notice_message_companies,
    /// written at fan-out), by delivery id, by name, and whether each is verified: one query for many
    /// deliveries (a dispatch claim, an inbox page). It starts from each delivery's user and their few
    /// memberships (ix_company_members_user) and looks each up in the message's rows: SQLite, without
    /// statistics, would otherwise start from the message's rows (10,000 for a district-wide notice).
    /// CROSS JOIN fixes that order in SQLite; the conditions are in WHERE because PostgreSQL allows no ON
    /// after CROSS JOIN (and plans the join itself).
    /// </summary>
    public static async Task<ILookup<long, ConcernedCompany>> ConcernedAsync(DbConnection db, IReadOnlyCollection<long> deliveryIds)
    {
        var ofDeliveries = SqlDialect.Of(db).InJsonIds("d.id", "@Ids");
        return (await db.QueryAsync<(long DeliveryId, string Name, string? VerifiedAt)>($"""
            SELECT d.id, c.name, c.verified_at
            FROM notice_deliveries d
            CROSS JOIN company_members m
            CROSS JOIN notice_message_companies x
            JOIN companies c ON c.id = m.company_id
            WHERE {ofDeliveries}
              AND m.user_id = d.user_id AND x.message_id = d.message_id AND x.company_id = m.company_id
            ORDER BY c.name
            """, new { Ids = JsonSerializer.Serialize(deliveryIds) })).ToLookup(r => r.DeliveryId, r => new ConcernedCompany(r.Name, r.VerifiedAt));
    }

    /// <summary>The user's companies a message concerns (<see cref="ConcernedAsync"/> for the user's delivery of it); empty when the user got none.</summary>
    public async Task<IReadOnlyList<ConcernedCompany>> CompaniesConcernedAsync(long messageId, long userId, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        var delivery = await db.ExecuteScalarAsync<long?>(
            "SELECT MIN(id) FROM notice_deliveries WHERE message_id = @Message AND user_id = @User", new { Message = messageId, User = userId });
        return delivery is { } id ? (await ConcernedAsync(db, [id]))[id].ToList() : [];
    }

    /// <summary><see cref="WriteAsync(DbConnection, DbTransaction, MessageDraft, IReadOnlyCollection{long}, string)"/> in a transaction of its own.</summary>
    public async Task<OutboxWrite> WriteAsync(MessageDraft draft, IReadOnlyCollection<long> userIds, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        await using var tx = await db.BeginTransactionAsync(ct);
        var result = await WriteAsync(db, tx, draft, userIds, Stamp.Now(clock));
        await tx.CommitAsync(ct);
        return result;
    }

    public async Task<MessageRow?> FindMessageAsync(long id, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return await db.QuerySingleOrDefaultAsync<MessageRow>("SELECT * FROM notice_messages WHERE id = @Id", new { Id = id });
    }

    public async Task<MessageRow?> FindMessageAsync(string key, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return await db.QuerySingleOrDefaultAsync<MessageRow>("SELECT * FROM notice_messages WHERE key = @Key", new { Key = key });
    }

    /// <summary>Users who confirmed the message with this key in their inbox.</summary>
    public async Task<IReadOnlySet<long>> AcknowledgedByAsync(string key, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return (await db.QueryAsync<long>("""
            SELECT d.user_id FROM notice_deliveries d JOIN notice_messages m ON m.id = d.message_id
            WHERE m.key = @Key AND d.channel = 'inbox' AND d.acknowledged_at IS NOT NULL
            """, new { Key = key })).ToHashSet();
    }
}
