using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using PolicyMatch.Web.Features.Matching;
using PolicyMatch.Web.Infrastructure.Data;

namespace PolicyMatch.Web.Features.Rematch;

/// <summary>One stored match: a company's group for one measure version. Plain "not eligible" is never stored.</summary>
public readonly record struct StoredMatch(long CompanyId, string MeasureId, int MeasureVersion, MatchGroup Group, int Met, int Total)
{
    /// <summary>The <c>company_matches.outcome</c> value of a group that is stored.</summary>
    public static string OutcomeOf(MatchGroup group) => group switch
    {
        MatchGroup.Eligible => "eligible",
        MatchGroup.NeedsInformation => "needs_information",
        MatchGroup.NearMiss => "near_miss",
        _ => throw new ArgumentOutOfRangeException(nameof(group), group, "not-eligible matches are not stored"),
    };
}

/// <summary>A company as the rematch reads it: the profile and when it last changed.</summary>
public sealed record CompanyProfileRow
{
    public long Id { get; init; }
    public string ProfileJson { get; init; } = "{}";
    public string UpdatedAt { get; init; } = "";
}

/// <summary>A stored row as read back (tests, exports).</summary>
public sealed record CompanyMatchRow
{
    public long CompanyId { get; init; }
    public string MeasureId { get; init; } = "";
    public long MeasureVersion { get; init; }
    public string Outcome { get; init; } = "";
    public long Met { get; init; }
    public long Total { get; init; }
    public string RefreshedAt { get; init; } = "";
}

/// <summary>A company as a stored-match list names it.</summary>
public sealed record StoredCompany
{
    public long Id { get; init; }
    public string Uscc { get; init; } = "";
    public string Name { get; init; } = "";
    public string District { get; init; } = "";

    /// <summary>Null while nobody has proved the company's ownership (issue 14 item 8): exports say so.</summary>
    public string? VerifiedAt { get; init; }
}

/// <summary>One bulk rematch as the jobs dashboard shows it.</summary>
public sealed record RematchRun
{
    public long Id { get; init; }
    public string Scope { get; init; } = "";
    public string? MeasureId { get; init; }
    public string AsOf { get; init; } = "";
    public string StartedAt { get; init; } = "";
    public string FinishedAt { get; init; } = "";
    public long Companies { get; init; }
    public long RowsWritten { get; init; }
    public long DurationMs { get; init; }
}

/// <summary>
/// The SQL of the stored matches (<c>company_matches</c>, <c>rematch_runs</c>). Reads are Dapper; the bulk
/// write is the fastest honest method of each engine — on SQLite one prepared INSERT re-executed with new
/// parameter values inside the caller's transaction, on PostgreSQL a binary COPY — because Dapper's
/// per-row command would spend most of a 100,000-company rematch building commands.
/// </summary>
public sealed class StoredMatches(IDbConnectionFactory connections)
{
    /// <summary>One page of companies after <paramref name="afterId"/>, in id order (keyset paging).</summary>
    public async Task<IReadOnlyList<CompanyProfileRow>> CompanyPageAsync(long afterId, int take, CancellationToken ct)
    {
        await using var db = await connections.OpenAsync(ct);
        return (await db.QueryAsync<CompanyProfileRow>(new CommandDefinition("""
            SELECT id, profile_json, updated_at FROM companies WHERE id > @After ORDER BY id LIMIT @Take
            """, new { After = afterId, Take = take }, cancellationToken: ct))).ToList();
    }

    /// <summary>Companies changed at or after <paramref name="since"/>, read inside the write transaction.</summary>
    public static async Task<IReadOnlyList<CompanyProfileRow>> ChangedSinceAsync(DbConnection db, DbTransaction tx, string since, CancellationToken ct) =>
        (await db.QueryAsync<CompanyProfileRow>(new CommandDefinition("""
            SELECT id, profile_json, updated_at FROM companies WHERE updated_at >= @Since ORDER BY id
            """, new { Since = since }, tx, cancellationToken: ct))).ToList();

    /// <summary>One company, read inside the transaction that replaces its rows; null when there is none.</summary>
    public static Task<CompanyProfileRow?> FindAsync(DbConnection db, DbTransaction tx, long companyId, CancellationToken ct) =>
        db.QuerySingleOrDefaultAsync<CompanyProfileRow>(new CommandDefinition(
            "SELECT id, profile_json, updated_at FROM companies WHERE id = @Id", new { Id = companyId }, tx, cancellationToken: ct));

    /// <summary>The index by measure, as migration 0018 creates it (re-created here after a full load on SQLite).</summary>
    private const string MeasureIndex = "CREATE INDEX ix_company_matches_measure ON company_matches (measure_id, outcome, measure_version)";

    /// <summary>
    /// Replaces every row. On SQLite the index by measure is dropped first and built again after the
    /// load, in the same transaction (SQLite's DDL is transactional; readers keep their snapshot): kept
    /// up row by row it made a 2-million-row refresh about four times slower than one sorted build.
    /// PostgreSQL keeps it, since dropping it would lock readers out of the table until the commit.
    /// </summary>
    public static async Task<long> ReplaceAllAsync(DbConnection db, DbTransaction tx, IEnumerable<StoredMatch> rows, string refreshedAt, CancellationToken ct)
    {
        var rebuildIndex = db is SqliteConnection;
        if (rebuildIndex)
        {
            await db.ExecuteAsync(new CommandDefinition("DROP INDEX ix_company_matches_measure", transaction: tx, cancellationToken: ct));
        }
        await db.ExecuteAsync(new CommandDefinition("DELETE FROM company_matches", transaction: tx, cancellationToken: ct));
        var written = await InsertAsync(db, tx, rows, refreshedAt, ct);
        if (rebuildIndex)
        {
            await db.ExecuteAsync(new CommandDefinition(MeasureIndex, transaction: tx, cancellationToken: ct));
        }
        return written;
    }

    /// <summary>
    /// Deletes the rows of the companies with ids in (<paramref name="afterId"/>, <paramref name="lastId"/>]:
    /// of one measure, or of every measure when <paramref name="measureId"/> is null (one batch of a rematch).
    /// </summary>
    public static Task DeleteCompaniesAsync(DbConnection db, DbTransaction tx, long afterId, long lastId, string? measureId, CancellationToken ct) =>
        // Two statements rather than "@Measure IS NULL OR …": PostgreSQL cannot type a null parameter there.
        measureId is null
            ? db.ExecuteAsync(new CommandDefinition(
                "DELETE FROM company_matches WHERE company_id > @After AND company_id <= @Last",
                new { After = afterId, Last = lastId }, tx, cancellationToken: ct))
            : db.ExecuteAsync(new CommandDefinition(
                "DELETE FROM company_matches WHERE company_id > @After AND company_id <= @Last AND measure_id = @Measure",
                new { After = afterId, Last = lastId, Measure = measureId }, tx, cancellationToken: ct));

    public static Task DeleteMeasureAsync(DbConnection db, DbTransaction tx, string measureId, CancellationToken ct) =>
        db.ExecuteAsync(new CommandDefinition("DELETE FROM company_matches WHERE measure_id = @Measure", new { Measure = measureId }, tx, cancellationToken: ct));

    public static Task DeleteCompanyAsync(DbConnection db, DbTransaction tx, long companyId, CancellationToken ct) =>
        db.ExecuteAsync(new CommandDefinition("DELETE FROM company_matches WHERE company_id = @Company", new { Company = companyId }, tx, cancellationToken: ct));

    /// <summary>Writes the rows with the engine's bulk path; returns how many were written.</summary>
    public static async Task<long> InsertAsync(DbConnection db, DbTransaction tx, IEnumerable<StoredMatch> rows, string refreshedAt, CancellationToken ct) => db switch
    {
        NpgsqlConnection pg => await CopyAsync(pg, rows, refreshedAt, ct),
        SqliteConnection sqlite => InsertPrepared(sqlite, (SqliteTransaction)tx, rows, refreshedAt, ct),
        _ => throw new NotSupportedException($"No bulk insert for {db.GetType().Name}"),
    };

    /// <summary>
    /// SQLite: one command, prepared once, executed per row with new parameter values. Synchronous on
    /// purpose: Microsoft.Data.Sqlite's async methods run synchronously anyway and only add overhead.
    /// </summary>
    private static long InsertPrepared(SqliteConnection db, SqliteTransaction tx, IEnumerable<StoredMatch> rows, string refreshedAt, CancellationToken ct)
    {
        using var command = db.CreateCommand();
        command.Transaction = tx;
        command.CommandText = """
            INSERT INTO company_matches (company_id, measure_id, measure_version, outcome, met, total, refreshed_at)
            VALUES ($company, $measure, $version, $outcome, $met, $total, $at)
            """;
        var company = command.Parameters.Add("$company", SqliteType.Integer);
        var measure = command.Parameters.Add("$measure", SqliteType.Text);
        var version = command.Parameters.Add("$version", SqliteType.Integer);
        var outcome = command.Parameters.Add("$outcome", SqliteType.Text);
        var met = command.Parameters.Add("$met", SqliteType.Integer);
        var total = command.Parameters.Add("$total", SqliteType.Integer);
        command.Parameters.Add("$at", SqliteType.Text).Value = refreshedAt;
        command.Prepare();
        long written = 0;
        foreach (var row in rows)
        {
            company.Value = row.CompanyId;
            measure.Value = row.MeasureId;
            version.Value = row.MeasureVersion;
            outcome.Value = StoredMatch.OutcomeOf(row.Group);
            met.Value = row.Met;
            total.Value = row.Total;
            command.ExecuteNonQuery();
            if (++written % 65_536 == 0)
            {
                ct.ThrowIfCancellationRequested();
            }
        }
        return written;
    }

    /// <summary>PostgreSQL: binary COPY inside the caller's transaction (a COPY joins the connection's transaction).</summary>
    private static async Task<long> CopyAsync(NpgsqlConnection db, IEnumerable<StoredMatch> rows, string refreshedAt, CancellationToken ct)
    {
        await using var copy = await db.BeginBinaryImportAsync("""
            COPY company_matches (company_id, measure_id, measure_version, outcome, met, total, refreshed_at) FROM STDIN (FORMAT BINARY)
            """, ct);
        long written = 0;
        foreach (var row in rows)
        {
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(row.CompanyId, NpgsqlDbType.Bigint, ct);
            await copy.WriteAsync(row.MeasureId, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(row.MeasureVersion, NpgsqlDbType.Integer, ct);
            await copy.WriteAsync(StoredMatch.OutcomeOf(row.Group), NpgsqlDbType.Text, ct);
            await copy.WriteAsync(row.Met, NpgsqlDbType.Integer, ct);
            await copy.WriteAsync(row.Total, NpgsqlDbType.Integer, ct);
            await copy.WriteAsync(refreshedAt, NpgsqlDbType.Text, ct);
            written++;
        }
        await copy.CompleteAsync(ct);
        return written;
    }

    public static Task RecordRunAsync(DbConnection db, DbTransaction tx, RematchRun run, CancellationToken ct) =>
        db.ExecuteAsync(new CommandDefinition("""
            INSERT INTO rematch_runs (scope, measure_id, as_of, started_at, finished_at, companies, rows_written, duration_ms)
            VALUES (@Scope, @MeasureId, @AsOf, @StartedAt, @FinishedAt, @Companies, @RowsWritten, @DurationMs)
            """, run, tx, cancellationToken: ct));

    /// <summary>The newest bulk rematches, newest first.</summary>
    public async Task<IReadOnlyList<RematchRun>> RecentRunsAsync(int take, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return (await db.QueryAsync<RematchRun>(new CommandDefinition(
            "SELECT * FROM rematch_runs ORDER BY id DESC LIMIT @Take", new { Take = take }, cancellationToken: ct))).ToList();
    }

    /// <summary>A company's stored rows, by measure id.</summary>
    public async Task<IReadOnlyList<CompanyMatchRow>> OfCompanyAsync(long companyId, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return (await db.QueryAsync<CompanyMatchRow>(new CommandDefinition(
            "SELECT * FROM company_matches WHERE company_id = @Company ORDER BY measure_id", new { Company = companyId }, cancellationToken: ct))).ToList();
    }

    /// <summary>
    /// The date the stored rows of a published measure version are as of, when they can stand in for
    /// evaluating every company on <paramref name="asOf"/>: the version is the published one, a rematch that covered the measure (a full run
    /// or one of this measure) started after the version was published, and was as of
    /// <paramref name="asOf"/> or the day before (the daily run is at 03:30 Beijing time). Null otherwise
    /// — never rematched since publication, or stale — and the caller evaluates instead.
    /// Companies saved since are refreshed one by one when saved (RematchService.RefreshCompanyAsync).
    /// </summary>
    public async Task<DateOnly?> FreshAsOfAsync(string measureId, long version, DateOnly asOf, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        var latest = await db.ExecuteScalarAsync<string?>(new CommandDefinition("""
            SELECT MAX(r.as_of) FROM rematch_runs r
            JOIN measures m ON m.id = @Measure AND m.status = @Published AND m.published_version = @Version
            JOIN measure_versions v ON v.measure_id = @Measure AND v.version = @Version
            WHERE (r.scope = 'full' OR r.measure_id = @Measure) AND v.published_at IS NOT NULL AND r.started_at >= v.published_at
              AND r.as_of >= @Earliest AND r.as_of <= @AsOf
            """, new { Measure = measureId, Version = version, Catalog.MeasureStatus.Published, Earliest = asOf.AddDays(-1).ToString("yyyy-MM-dd"), AsOf = asOf.ToString("yyyy-MM-dd") },
            cancellationToken: ct));
        return latest is null ? null : DateOnly.ParseExact(latest, "yyyy-MM-dd");
    }

    /// <summary>
    /// The companies stored with one outcome for a measure version, by name. For a measure most companies
    /// match (<paramref name="dense"/>) the companies are walked in name order on ix_companies_name, which
    /// holds every column listed, so neither a sort nor a read of the table is needed:
    /// <list type="bullet">
    /// <item>with a <paramref name="limit"/> (the preview's first 200), each company is looked up in the stored
    /// rows until the limit is reached, after the first few hundred of 100,000;</item>
    /// <item>without one (the 免申即享 list), the measure's ids are read once from the index by measure and
    /// each company kept if it is among them: one pass over each index, where the join sorted 100,000 rows.</item>
    /// </list>
    /// A sparse measure is joined from its rows (the index by measure) and sorted, which is then the smaller work.
    /// </summary>
    public async Task<IReadOnlyList<StoredCompany>> CompaniesAsync(string measureId, long version, string outcome, int? limit, bool dense, CancellationToken ct)
    {
        await using var db = await connections.OpenAsync(ct);
        var args = new { Measure = measureId, Outcome = outcome, Version = version, Limit = limit ?? int.MaxValue };
        const string Stored = "m.measure_id = @Measure AND m.outcome = @Outcome AND m.measure_version = @Version";
        // In SQLite, CROSS JOIN keeps the written order (a dense walk starts from the companies, a sparse read
        // from the rows), and "+c.id" keeps the list's walk off the index by id; PostgreSQL plans itself.
        var sql = dense && limit is null
            ? $"""
                SELECT c.id, c.uscc, c.name, c.district, c.verified_at
                FROM companies c
                WHERE +c.id IN (SELECT m.company_id FROM company_matches m WHERE {Stored})
                ORDER BY c.name, c.id
                """
            : $"""
                SELECT c.id, c.uscc, c.name, c.district, c.verified_at
                FROM {(dense ? "companies c CROSS JOIN company_matches m" : "company_matches m CROSS JOIN companies c")}
                WHERE m.company_id = c.id AND {Stored}
                ORDER BY c.name, c.id
                LIMIT @Limit
                """;
        return (await db.QueryAsync<StoredCompany>(new CommandDefinition(sql, args, cancellationToken: ct))).ToList();
    }

    /// <summary>The ids of the companies stored with one outcome for a measure version, in no order: read from the index by measure alone.</summary>
    public async Task<IReadOnlyList<long>> CompanyIdsAsync(string measureId, long version, string outcome, CancellationToken ct)
    {
        await using var db = await connections.OpenAsync(ct);
        return (await db.QueryAsync<long>(new CommandDefinition(
            "SELECT company_id FROM company_matches WHERE measure_id = @Measure AND outcome = @Outcome AND measure_version = @Version",
            new { Measure = measureId, Outcome = outcome, Version = version }, cancellationToken: ct))).AsList();
    }

    /// <summary>How many companies each stored outcome has for one measure version.</summary>
    public async Task<IReadOnlyDictionary<string, long>> CountsOfVersionAsync(string measureId, long version, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return (await db.QueryAsync<(string Outcome, long Count)>(new CommandDefinition(
                "SELECT outcome, COUNT(*) FROM company_matches WHERE measure_id = @Measure AND measure_version = @Version GROUP BY outcome",
                new { Measure = measureId, Version = version }, cancellationToken: ct)))
            .ToDictionary(r => r.Outcome, r => r.Count);
    }

    /// <summary>How many companies each stored outcome has for one measure.</summary>
    public async Task<IReadOnlyDictionary<string, long>> CountsOfMeasureAsync(string measureId, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return (await db.QueryAsync<(string Outcome, long Count)>(new CommandDefinition(
                "SELECT outcome, COUNT(*) FROM company_matches WHERE measure_id = @Measure GROUP BY outcome", new { Measure = measureId }, cancellationToken: ct)))
            .ToDictionary(r => r.Outcome, r => r.Count);
    }
}
