using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using PolicyMatch.Web.Features.Plans;
using PolicyMatch.Web.Infrastructure.Data;

namespace PolicyMatch.Web.Features.Catalog;

public enum UpsertOutcome { Unchanged, Created, NewVersion }

/// <summary>Plans, clauses, measures with their versions, and notices. SQL sits next to each call.</summary>
public sealed class CatalogRepository(IDbConnectionFactory connections, TimeProvider clock)
{
    // The columns of a measure at a version, joined with its lifecycle row and plan.
    private const string MeasureColumns = """
        v.measure_id, m.plan_id, p.document AS plan_document, p.title AS plan_title, m.status, v.version,
        v.title, v.title_en, v.summary, v.kind, v.beneficiary, v.amount, v.apply_json, v.departments_json, v.regions_json, v.focus_areas_json,
        v.period_from, v.period_to, v.window_opens, v.window_closes, v.clause_ref, v.quote, v.notes,
        v.criteria_json, v.content_hash
        """;

    private string Now() => Stamp.Now(clock);

    // ---- plans -------------------------------------------------------------------------------

    public async Task UpsertPlanAsync(DbConnection connection, DbTransaction tx, PlanDocument plan, string body, IReadOnlyList<Clause> clauses)
    {
        var hash = Hash(JsonSerializer.Serialize(plan, CatalogJson.Compact) + "\n" + body);
        var existing = await connection.ExecuteScalarAsync<string?>(
            "SELECT content_hash FROM plans WHERE id = @Id", new { plan.Id }, tx);
        if (existing == hash)
        {
            return;
        }
        await connection.ExecuteAsync("""
            INSERT INTO plans (id, document, title, issuer, document_number, published_on, period_from, period_to,
                               regions_json, attribution, notes, body, content_hash)
            VALUES (@Id, @Document, @Title, @Issuer, @DocumentNumber, @PublishedOn, @PeriodFrom, @PeriodTo,
                    @RegionsJson, @Attribution, @Notes, @Body, @Hash)
            ON CONFLICT (id) DO UPDATE SET
                document = excluded.document, title = excluded.title, issuer = excluded.issuer,
                document_number = excluded.document_number, published_on = excluded.published_on,
                period_from = excluded.period_from, period_to = excluded.period_to,
                regions_json = excluded.regions_json, attribution = excluded.attribution, notes = excluded.notes,
                body = excluded.body, content_hash = excluded.content_hash
            """,
            new
            {
                plan.Id, plan.Document, plan.Title, plan.Issuer, plan.DocumentNumber, plan.PublishedOn,
                PeriodFrom = plan.Period?.From, PeriodTo = plan.Period?.To,
                RegionsJson = JsonList.Write(plan.Regions), plan.Attribution, plan.Notes, Body = body, Hash = hash,
            }, tx);
        await connection.ExecuteAsync("DELETE FROM plan_clauses WHERE plan_id = @Id", new { plan.Id }, tx);
        await connection.ExecuteAsync("""
            INSERT INTO plan_clauses (plan_id, ref, ordinal, depth, heading, text)
            VALUES (@PlanId, @Ref, @Ordinal, @Depth, @Heading, @Text)
            """,
            clauses.Select(c => new { PlanId = plan.Id, c.Ref, c.Ordinal, c.Depth, c.Heading, c.Text }), tx);
    }

    public async Task<IReadOnlyList<PlanRow>> GetPlansAsync(CancellationToken ct = default)
    {
        await using var connection = await connections.OpenAsync(ct);
        return (await connection.QueryAsync<PlanRow>("SELECT * FROM plans ORDER BY id")).ToList();
    }

    /// <summary>A plan by its id ('000') or its document name ('000_….txt').</summary>
    public async Task<PlanRow?> GetPlanAsync(string idOrDocument, CancellationToken ct = default)
    {
        await using var connection = await connections.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<PlanRow>(
            "SELECT * FROM plans WHERE id = @Key OR document = @Key", new { Key = idOrDocument });
    }

    public async Task<IReadOnlyList<ClauseRow>> GetClausesAsync(string planId, CancellationToken ct = default)
    {
        await using var connection = await connections.OpenAsync(ct);
        return (await connection.QueryAsync<ClauseRow>(
            "SELECT * FROM plan_clauses WHERE plan_id = @PlanId ORDER BY ordinal", new { PlanId = planId })).ToList();
    }

    // ---- measures ----------------------------------------------------------------------------

    /// <summary>
    /// Inserts a measure, or a new version of it when its content changed; publishes that version when
    /// <paramref name="publish"/> is set. An unchanged measure is left alone, so re-seeding is a no-op.
    /// </summary>
    public async Task<UpsertOutcome> UpsertMeasureAsync(DbConnection connection, DbTransaction tx, MeasureDocument measure,
        string planId, string author, bool publish)
    {
        // The hash covers what a measure says, not where it was read from: seeds and exports hash alike.
        var content = measure with { Plan = null, Status = null, Version = null, Source = measure.Source with { Document = null } };
        var hash = Hash(JsonSerializer.Serialize(content, CatalogJson.Compact));
        var current = await connection.QuerySingleOrDefaultAsync<CurrentVersion>("""
            SELECT v.version, v.content_hash AS hash, m.status,
                   EXISTS (SELECT 1 FROM measure_versions o WHERE o.measure_id = m.id AND o.created_by <> @Seed) AS edited_in_portal
            FROM measures m JOIN measure_versions v ON v.measure_id = m.id AND v.version = m.current_version
            WHERE m.id = @Id
            """, new { measure.Id, Seed = SeedAuthor }, tx);
        // Once an administrator has edited, retired or unpublished a seeded measure, the portal owns
        // it: a restart must not put the seed text back or publish it again.
        if (author == SeedAuthor && current is not null && (current.EditedInPortal || current.Status != MeasureStatus.Published))
        {
            return UpsertOutcome.Unchanged;
        }
        var now = Now();
        if (current is not null && current.Hash == hash && (!publish || current.Status == MeasureStatus.Published))
        {
            return UpsertOutcome.Unchanged;
        }
        var version = current is null ? 1 : current.Hash == hash ? current.Version : current.Version + 1;
        if (current is null)
        {
            await connection.ExecuteAsync("""
                INSERT INTO measures (id, plan_id, status, current_version, published_version, created_at, updated_at)
                VALUES (@Id, @PlanId, @Draft, @Version, NULL, @Now, @Now)
                """, new { measure.Id, PlanId = planId, Version = version, Now = now, MeasureStatus.Draft }, tx);
        }
        if (current is null || current.Hash != hash)
        {
            await connection.ExecuteAsync("""
                INSERT INTO measure_versions (measure_id, version, title, title_en, summary, kind, beneficiary, amount, apply_json,
                    departments_json, regions_json, focus_areas_json, period_from, period_to, window_opens, window_closes, clause_ref, quote,
                    notes, criteria_json, content_hash, created_at, created_by)
                VALUES (@Id, @Version, @Title, @TitleEn, @Summary, @Kind, @Beneficiary, @Amount, @ApplyJson,
                    @DepartmentsJson, @RegionsJson, @FocusAreasJson, @PeriodFrom, @PeriodTo, @WindowOpens, @WindowCloses, @ClauseRef, @Quote,
                    @Notes, @CriteriaJson, @Hash, @Now, @Author)
                """,
                new
                {
                    measure.Id, Version = version, measure.Title, measure.TitleEn, measure.Summary, measure.Kind,
                    // The validator has checked the code; a document without one (never valid) would not get here.
                    Beneficiary = measure.Beneficiary ?? Beneficiary.Company.Code, measure.Amount,
                    ApplyJson = measure.Apply is null || measure.Apply.IsEmpty ? null : JsonSerializer.Serialize(measure.Apply, CatalogJson.Compact),
                    DepartmentsJson = JsonList.Write(measure.Departments), RegionsJson = JsonList.Write(measure.Regions),
                    FocusAreasJson = JsonList.Write(measure.FocusAreas),
                    PeriodFrom = measure.Period?.From, PeriodTo = measure.Period?.To,
                    WindowOpens = measure.Window?.Opens, WindowCloses = measure.Window?.Closes,
                    ClauseRef = measure.Source.Clause, measure.Source.Quote, measure.Notes,
                    CriteriaJson = JsonSerializer.Serialize(measure.Criteria, CatalogJson.Compact),
                    Hash = hash, Now = now, Author = author,
                }, tx);
        }
        await connection.ExecuteAsync("""
            UPDATE measures SET current_version = @Version, plan_id = @PlanId, updated_at = @Now,
                status = CASE WHEN @Publish THEN @Published ELSE status END,
                published_version = CASE WHEN @Publish THEN @Version ELSE published_version END
            WHERE id = @Id
            """, new { measure.Id, Version = version, PlanId = planId, Now = now, Publish = publish, MeasureStatus.Published }, tx);
        if (publish)
        {
            await MarkVersionPublishedAsync(connection, tx, measure.Id, version, now);
        }
        return current is null ? UpsertOutcome.Created : UpsertOutcome.NewVersion;
    }

    /// <summary>
    /// Records that the published catalog changed, in the transaction that changed it: every node's
    /// <see cref="CatalogCache"/> sees the new version and reloads.
    /// </summary>
    public static Task MarkChangedAsync(DbConnection connection, DbTransaction tx) =>
        connection.ExecuteAsync("UPDATE catalog_state SET version = version + 1 WHERE id = 1", transaction: tx);

    /// <summary>The published catalog's version (see <see cref="MarkChangedAsync"/>).</summary>
    public async Task<long> GetCatalogVersionAsync(CancellationToken ct = default)
    {
        await using var connection = await connections.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>("SELECT version FROM catalog_state WHERE id = 1");
    }

    /// <summary>Every published measure at its published version: what companies are matched against.</summary>
    public async Task<IReadOnlyList<MeasureVersionRow>> GetPublishedMeasuresAsync(CancellationToken ct = default)
    {
        await using var connection = await connections.OpenAsync(ct);
        return (await connection.QueryAsync<MeasureVersionRow>($"""
            SELECT {MeasureColumns}
            FROM measures m
            JOIN measure_versions v ON v.measure_id = m.id AND v.version = m.published_version
            JOIN plans p ON p.id = m.plan_id
            WHERE m.status = @Published
            ORDER BY m.plan_id, v.clause_ref, m.id
            """, new { MeasureStatus.Published })).ToList();
    }

    /// <summary>A measure at a given version, or at its published (else newest) version.</summary>
    /// <summary>
    /// A measure as the public may see it: its published version, or a version asked for by number only if that
    /// version has been published (a past version stays readable for results that cite it; a draft never is).
    /// </summary>
    public async Task<MeasureVersionRow?> GetPublicMeasureAsync(string id, int? version = null, CancellationToken ct = default)
    {
        await using var connection = await connections.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<MeasureVersionRow>($"""
            SELECT {MeasureColumns}
            FROM measures m
            JOIN measure_versions v ON v.measure_id = m.id
                AND v.version = COALESCE(@Version, m.published_version)
            JOIN plans p ON p.id = m.plan_id
            WHERE m.id = @Id AND m.status <> @Draft AND v.published_at IS NOT NULL
            """, new { Id = id, Version = version, MeasureStatus.Draft });
    }

    public async Task<MeasureVersionRow?> GetMeasureAsync(string id, int? version = null, CancellationToken ct = default)
    {
        await using var connection = await connections.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<MeasureVersionRow>($"""
            SELECT {MeasureColumns}
            FROM measures m
            JOIN measure_versions v ON v.measure_id = m.id
                AND v.version = COALESCE(@Version, m.published_version, m.current_version)
            JOIN plans p ON p.id = m.plan_id
            WHERE m.id = @Id
            """, new { Id = id, Version = version });
    }

    /// <summary>The public catalog — published and retired measures at their published version — of one plan or all.</summary>
    public async Task<IReadOnlyList<MeasureVersionRow>> GetPublishedAndRetiredAsync(string? planId = null, CancellationToken ct = default)
    {
        await using var connection = await connections.OpenAsync(ct);
        return (await connection.QueryAsync<MeasureVersionRow>($"""
            SELECT {MeasureColumns}
            FROM measures m
            JOIN measure_versions v ON v.measure_id = m.id AND v.version = COALESCE(m.published_version, m.current_version)
            JOIN plans p ON p.id = m.plan_id
            WHERE m.status <> @Draft AND (@PlanId IS NULL OR m.plan_id = @PlanId)
            ORDER BY m.plan_id, m.id
            """, new { PlanId = planId, MeasureStatus.Draft })).ToList();
    }

    public async Task SetStatusAsync(DbConnection connection, DbTransaction tx, string id, MeasureStatus status) =>
        await connection.ExecuteAsync(
            "UPDATE measures SET status = @Status, updated_at = @Now WHERE id = @Id", new { Id = id, Status = status, Now = Now() }, tx);

    public async Task<IReadOnlyList<string>> GetAllMeasureIdsAsync(CancellationToken ct = default)
    {
        await using var connection = await connections.OpenAsync(ct);
        return (await connection.QueryAsync<string>("SELECT id FROM measures ORDER BY id")).ToList();
    }

    // ---- notices -----------------------------------------------------------------------------

    public async Task UpsertNoticeAsync(DbConnection connection, DbTransaction tx, NoticeDocument notice)
    {
        var hash = Hash(JsonSerializer.Serialize(notice, CatalogJson.Compact));
        var existing = await connection.ExecuteScalarAsync<string?>(
            "SELECT content_hash FROM notices WHERE id = @Id", new { notice.Id }, tx);
        if (existing == hash)
        {
            return;
        }
        await connection.ExecuteAsync("""
            INSERT INTO notices (id, kind, title, body, published_on, window_opens, window_closes,
                                 source_document, source_quote, notes, content_hash)
            VALUES (@Id, @Kind, @Title, @Body, @PublishedOn, @WindowOpens, @WindowCloses,
                    @SourceDocument, @SourceQuote, @Notes, @Hash)
            ON CONFLICT (id) DO UPDATE SET
                kind = excluded.kind, title = excluded.title, body = excluded.body, published_on = excluded.published_on,
                window_opens = excluded.window_opens, window_closes = excluded.window_closes,
                source_document = excluded.source_document, source_quote = excluded.source_quote,
                notes = excluded.notes, content_hash = excluded.content_hash
            """,
            new
            {
                notice.Id, notice.Kind, notice.Title, notice.Body, notice.PublishedOn,
                WindowOpens = notice.Window?.Opens, WindowCloses = notice.Window?.Closes,
                SourceDocument = notice.Source?.Document, SourceQuote = notice.Source?.Quote, notice.Notes, Hash = hash,
            }, tx);
        await connection.ExecuteAsync("DELETE FROM notice_measures WHERE notice_id = @Id", new { notice.Id }, tx);
        await connection.ExecuteAsync(
            "INSERT INTO notice_measures (notice_id, measure_id) VALUES (@NoticeId, @MeasureId)",
            notice.Measures.Distinct().Select(m => new { NoticeId = notice.Id, MeasureId = m }), tx);
        await connection.ExecuteAsync("DELETE FROM notice_regions WHERE notice_id = @Id", new { notice.Id }, tx);
        await connection.ExecuteAsync(
            "INSERT INTO notice_regions (notice_id, region) VALUES (@NoticeId, @Region)",
            (notice.Regions ?? []).Distinct().Select(r => new { NoticeId = notice.Id, Region = r }), tx);
    }

    public async Task<IReadOnlyList<NoticeRow>> GetNoticesAsync(CancellationToken ct = default)
    {
        await using var connection = await connections.OpenAsync(ct);
        return (await connection.QueryAsync<NoticeRow>("SELECT * FROM notices ORDER BY published_on DESC, id")).ToList();
    }

    /// <summary>Every notice in the catalog's file format, with the measures it concerns.</summary>
    public async Task<IReadOnlyList<NoticeDocument>> GetNoticeDocumentsAsync(CancellationToken ct = default)
    {
        await using var connection = await connections.OpenAsync(ct);
        var links = (await connection.QueryAsync<(string NoticeId, string MeasureId)>(
            "SELECT notice_id, measure_id FROM notice_measures ORDER BY notice_id, measure_id")).ToLookup(l => l.NoticeId, l => l.MeasureId);
        var notices = await connection.QueryAsync<NoticeRow>("SELECT * FROM notices ORDER BY published_on DESC, id");
        // Where each notice is for (issue 12): the matches page shows a company only the notices of its regions.
        var regions = (await connection.QueryAsync<(string NoticeId, string Region)>(
            "SELECT notice_id, region FROM notice_regions ORDER BY notice_id, region")).ToLookup(r => r.NoticeId, r => r.Region);
        return notices.Select(n => n.ToDocument(links[n.Id].ToList()) with { Regions = regions.Contains(n.Id) ? regions[n.Id].ToList() : null }).ToList();
    }

    public async Task<IReadOnlyList<NoticeRow>> GetNoticesForMeasureAsync(string measureId, CancellationToken ct = default)
    {
        await using var connection = await connections.OpenAsync(ct);
        return (await connection.QueryAsync<NoticeRow>("""
            SELECT n.* FROM notices n JOIN notice_measures nm ON nm.notice_id = n.id
            WHERE nm.measure_id = @Id ORDER BY n.published_on DESC
            """, new { Id = measureId })).ToList();
    }

    /// <summary>The author the seeder writes versions as.</summary>
    public const string SeedAuthor = "seed";

    private sealed record CurrentVersion
    {
        public bool EditedInPortal { get; init; }
        public long Version { get; init; }
        public string Hash { get; init; } = "";
        public string Status { get; init; } = "";
    }

    internal static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    // ---- authoring (administrators) ----------------------------------------------------------

    // A measure's lifecycle row with its newest version's title and author: what the admin screens list.
    private const string StateColumns = """
        m.id, m.plan_id, m.status, m.current_version, m.published_version, m.created_at, m.updated_at,
        v.title, v.created_by AS current_author
        """;

    /// <summary>Every measure's lifecycle, newest change first (drafts, published and retired alike).</summary>
    public async Task<IReadOnlyList<MeasureState>> GetMeasureStatesAsync(CancellationToken ct = default)
    {
        await using var connection = await connections.OpenAsync(ct);
        return (await connection.QueryAsync<MeasureState>($"""
            SELECT {StateColumns}
            FROM measures m JOIN measure_versions v ON v.measure_id = m.id AND v.version = m.current_version
            ORDER BY m.updated_at DESC, m.id
            """)).ToList();
    }

    public async Task<MeasureState?> GetMeasureStateAsync(string id, CancellationToken ct = default)
    {
        await using var connection = await connections.OpenAsync(ct);
        return await GetMeasureStateAsync(connection, null, id);
    }

    /// <summary>Within a use case's transaction: the state it checks is the state it changes.</summary>
    public async Task<MeasureState?> GetMeasureStateAsync(DbConnection connection, DbTransaction? tx, string id) =>
        await connection.QuerySingleOrDefaultAsync<MeasureState>($"""
            SELECT {StateColumns}
            FROM measures m JOIN measure_versions v ON v.measure_id = m.id AND v.version = m.current_version
            WHERE m.id = @Id
            """, new { Id = id }, tx);

    /// <summary>Every version of a measure, oldest first, with the author's display name where the author is a user.</summary>
    public async Task<IReadOnlyList<MeasureVersionInfo>> GetVersionsAsync(string id, CancellationToken ct = default)
    {
        await using var connection = await connections.OpenAsync(ct);
        // created_by holds the author's email (administrators) or a tool's name ('seed', an import's author).
        return (await connection.QueryAsync<MeasureVersionInfo>("""
            SELECT v.version, v.title, v.created_at, v.created_by, u.display_name AS author_name, v.content_hash
            FROM measure_versions v LEFT JOIN users u ON u.email = v.created_by
            WHERE v.measure_id = @Id
            ORDER BY v.version
            """, new { Id = id })).ToList();
    }

    /// <summary>
    /// Publishes the measure's newest version, only if that is still <paramref name="version"/> (so an
    /// administrator publishes what they previewed, not a draft someone saved a moment later).
    /// </summary>
    public async Task<bool> PublishVersionAsync(DbConnection connection, DbTransaction tx, string id, long version)
    {
        var now = Now();
        if (await connection.ExecuteAsync("""
            UPDATE measures SET status = @Published, published_version = @Version, updated_at = @Now
            WHERE id = @Id AND current_version = @Version
            """, new { Id = id, Version = version, Now = now, MeasureStatus.Published }, tx) != 1)
        {
            return false;
        }
        await MarkVersionPublishedAsync(connection, tx, id, version, now);
        return true;
    }

    /// <summary>Records that a version has been public, once: only such versions are shown to the public by number.</summary>
    private static Task MarkVersionPublishedAsync(DbConnection connection, DbTransaction tx, string id, long version, string now) =>
        connection.ExecuteAsync("""
            UPDATE measure_versions SET published_at = @Now
            WHERE measure_id = @Id AND version = @Version AND published_at IS NULL
            """, new { Id = id, Version = version, Now = now }, tx);
}
