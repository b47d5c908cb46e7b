using PolicyMatch.Web.Infrastructure.Time;
using System.Text.Json.Nodes;
using Dapper;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Admin;
using PolicyMatch.Web.Infrastructure.Data;

namespace PolicyMatch.Web.Features.Notices;

/// <summary>A notice as the authoring form produced it, checked.</summary>
/// <param name="Regions">where the notice is for: recipients are eligible companies in these regions (none: everywhere)</param>
public sealed record NewNotice(string Kind, string Title, string Body, IReadOnlyList<string> Measures,
    DateOnly? WindowOpens, DateOnly? WindowCloses, DateTimeOffset SendAt, IReadOnlyList<string>? Regions = null)
{
    /// <summary>The document it is written from (plans.document), if any.</summary>
    public string? SourceDocument { get; init; }
}

/// <summary>Administrators' notices (notice_schedules) and the published ones they sit beside.</summary>
public sealed class NoticeSchedules(IDbConnectionFactory connections, AuditLog audit, TimeProvider clock)
{
    private const string Columns = """
        s.id, s.kind, s.title, s.body, s.window_opens, s.window_closes, s.send_at, s.status, s.created_by,
        u.display_name AS created_by_name, s.created_at, s.cancelled_at, s.sent_at, s.recipients, s.source_document
        """;

    /// <summary>Stores a scheduled notice with its measures; its id is what <c>notices.id</c> will be.</summary>
    public async Task<string> CreateAsync(NewNotice notice, long userId, CancellationToken ct = default)
    {
        var id = $"n-{BeijingTime.DateOf(notice.SendAt):yyyyMMdd}-{Guid.NewGuid().ToString("N")[..8]}";
        await using var db = await connections.OpenAsync(ct);
        await using var tx = await db.BeginTransactionAsync(ct);
        await db.ExecuteAsync("""
            INSERT INTO notice_schedules (id, kind, title, body, window_opens, window_closes, send_at, status, created_by, created_at, source_document)
            VALUES (@Id, @Kind, @Title, @Body, @WindowOpens, @WindowCloses, @SendAt, @Scheduled, @User, @Now, @SourceDocument)
            """,
            new
            {
                Id = id,
                notice.Kind,
                notice.Title,
                notice.Body,
                notice.WindowOpens,
                notice.WindowCloses,
                SendAt = Stamp.Of(notice.SendAt),
                NoticeStatus.Scheduled,
                notice.SourceDocument,
                User = userId,
                Now = Stamp.Now(clock),
            }, tx);
        await db.ExecuteAsync(
            "INSERT INTO notice_schedule_measures (notice_id, measure_id) VALUES (@Id, @Measure)",
            notice.Measures.Distinct().Select(m => new { Id = id, Measure = m }), tx);
        await db.ExecuteAsync(
            "INSERT INTO notice_regions (notice_id, region) VALUES (@Id, @Region)",
            (notice.Regions ?? []).Distinct().Select(r => new { Id = id, Region = r }), tx);
        await audit.WriteAsync(db, tx, userId, AuditAction.NoticeScheduled, "notice", id, new JsonObject
        {
            ["kind"] = notice.Kind,
            ["title"] = notice.Title,
            ["send_at"] = Stamp.Of(notice.SendAt),
            ["measures"] = new JsonArray(notice.Measures.Distinct().Select(m => (JsonNode?)m).ToArray()),
            ["regions"] = new JsonArray((notice.Regions ?? []).Distinct().Select(r => (JsonNode?)r).ToArray()),
        });
        await tx.CommitAsync(ct);
        return id;
    }

    public async Task<ScheduleRow?> FindAsync(string id, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return await db.QuerySingleOrDefaultAsync<ScheduleRow>($"""
            SELECT {Columns} FROM notice_schedules s LEFT JOIN users u ON u.id = s.created_by WHERE s.id = @Id
            """, new { Id = id });
    }

    /// <summary>The measures a notice concerns: a scheduled notice's, else a published notice's (seeds).</summary>
    public async Task<IReadOnlyList<string>> MeasuresOfAsync(string id, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return (await db.QueryAsync<string>("""
            SELECT measure_id FROM notice_schedule_measures WHERE notice_id = @Id
            UNION
            SELECT measure_id FROM notice_measures WHERE notice_id = @Id
            ORDER BY 1
            """, new { Id = id })).ToList();
    }

    /// <summary>A published notice (seeded, or sent from here).</summary>
    public async Task<Catalog.NoticeRow?> PublishedAsync(string id, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return await db.QuerySingleOrDefaultAsync<Catalog.NoticeRow>("SELECT * FROM notices WHERE id = @Id", new { Id = id });
    }

    /// <summary>Scheduled notices first (soonest first), then everything published, newest first.</summary>
    public async Task<IReadOnlyList<NoticeListRow>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return (await db.QueryAsync<NoticeListRow>("""
            SELECT * FROM (
                SELECT id, kind, title, status, send_at, NULL AS published_on, window_closes, recipients,
                       CASE status WHEN @Scheduled THEN 0 ELSE 1 END AS sort_group, send_at AS sort_key
                FROM notice_schedules
                UNION ALL
                SELECT n.id, n.kind, n.title, @Published, NULL, n.published_on, n.window_closes, NULL,
                       1, n.published_on
                FROM notices n WHERE NOT EXISTS (SELECT 1 FROM notice_schedules s WHERE s.id = n.id)) AS listed
            ORDER BY sort_group, CASE WHEN sort_group = 0 THEN sort_key END ASC, sort_key DESC, id
            """, new { NoticeStatus.Scheduled, NoticeStatus.Published })).ToList();
    }

    /// <summary>Cancels a notice that has not been sent; false if it is not scheduled (any more).</summary>
    public async Task<bool> CancelAsync(string id, long userId, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        await using var tx = await db.BeginTransactionAsync(ct);
        if (await db.ExecuteAsync("""
            UPDATE notice_schedules SET status = @Cancelled, cancelled_by = @User, cancelled_at = @Now
            WHERE id = @Id AND status = @Scheduled
            """, new { Id = id, User = userId, Now = Stamp.Now(clock), NoticeStatus.Cancelled, NoticeStatus.Scheduled }, tx) != 1)
        {
            return false;
        }
        await audit.WriteAsync(db, tx, userId, AuditAction.NoticeCancelled, "notice", id, []);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>Scheduled notices whose send time has come, oldest first.</summary>
    public async Task<IReadOnlyList<string>> DueAsync(DateTimeOffset now, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return (await db.QueryAsync<string>(
            "SELECT id FROM notice_schedules WHERE status = @Scheduled AND send_at <= @Now ORDER BY send_at, id",
            new { Now = Stamp.Of(now), NoticeStatus.Scheduled })).ToList();
    }
}
