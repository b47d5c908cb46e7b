using System.Buffers;
using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using PolicyMatch.Rules;
using PolicyMatch.Web.Features.Catalog;
using PolicyMatch.Web.Features.Matching;
using PolicyMatch.Web.Features.Rematch;
using PolicyMatch.Web.Infrastructure.Data;

namespace PolicyMatch.Web.Features.Authoring;

/// <param name="Verified">Whether an administrator approved evidence of who owns it; the lists and exports mark the others.</param>
public sealed record CompanyRef(long Id, string Uscc, string Name, string District, bool Verified = true);

public sealed record OutcomeCounts(int Eligible, int NeedsInformation, int NotEligible)
{
    public int Total => Eligible + NeedsInformation + NotEligible;
}

/// <summary>What publishing a version would change, for every company in the portal, on one date.</summary>
public sealed record ImpactReport(
    DateOnly AsOf,
    MeasureVersionRow Draft,
    MeasureVersionRow? Published,
    OutcomeCounts DraftCounts,
    OutcomeCounts? PublishedCounts,
    IReadOnlyList<CompanyRef> Eligible,
    IReadOnlyList<CompanyRef> NewlyEligible,
    IReadOnlyList<CompanyRef> NoLongerEligible,
    int Unreadable)
{
    /// <summary>How many companies the draft makes eligible; <see cref="NewlyEligible"/> lists the first <see cref="ImpactPreview.Listed"/> by name.</summary>
    public int NewlyEligibleCount { get; init; }

    /// <summary>How many companies the draft makes no longer eligible; <see cref="NoLongerEligible"/> lists the first by name.</summary>
    public int NoLongerEligibleCount { get; init; }

    public bool ComparesVersions => Published is not null && Published.Version != Draft.Version;

    /// <summary>The date of the stored matches the published version's figures come from; null when they were evaluated here.</summary>
    public DateOnly? PublishedStoredAsOf { get; init; }

    /// <summary>The draft's figures were evaluated here (a version not yet published is in no stored match).</summary>
    public bool DraftEvaluated { get; init; }

    /// <summary>Companies the draft did not need to evaluate: their district is not one its criteria require.</summary>
    public int SkippedByDistrict { get; init; }

    /// <summary>The draft's criteria are the published version's, so its matches are the published ones (stored when fresh).</summary>
    public bool DraftSameCriteria { get; init; }
}

/// <summary>
/// What a measure version means for the portal's companies, for the impact preview and the 免申即享 list.
/// The <b>published</b> version reads the stored matches (<c>company_matches</c>, written by the rematch)
/// when they are fresh (<see cref="StoredMatches.FreshAsOfAsync"/>): a query on the index by measure, not
/// an evaluation per company. A <b>draft</b> is in no stored match, so it is evaluated against the stored
/// profiles — bounded: one worker per core (up to four) takes ranges of <see cref="RangeIds"/> ids in turn
/// and reads and evaluates each on its own connection, row by row, so memory grows with the eligible lists
/// only; and when the draft's criteria require districts, only companies in them (or without one) are read,
/// the others cannot be eligible (a criterion that is false makes the whole measure not eligible). Stale or
/// missing stored rows fall back to the same evaluation. An evaluation keeps only the ids of the eligible companies, and a
/// comparison reads the published side's ids from the index: the names, codes and districts shown are then
/// read for the companies listed (the first <see cref="Listed"/> by name), not for all of them. For 100,000
/// companies the cost is the profiles themselves: read, checked and turned into the facts the draft reads
/// in one pass (<see cref="ProfileFacts.TryRead"/>); the benchmark's README has the figures and what each
/// change gained.
/// </summary>
public sealed class ImpactPreview(IDbConnectionFactory connections, MatchService matching, StoredMatches stored)
{
    /// <summary>How many eligible companies the preview page lists (by name); the CSV export has them all.</summary>
    public const int Listed = 200;

    /// <summary>
    /// One version's figures. Its eligible companies are either <see cref="Eligible"/>, read by name from the
    /// stored matches (the first <see cref="Listed"/>, or all for the 免申即享 list), or <see cref="EligibleIds"/>:
    /// all of them as ids, evaluated or read from the index by measure for a comparison. Ids keep an
    /// evaluation of 100,000 eligible companies from holding 100,000 names, codes and districts (read per row,
    /// and kept alive through every collection while the rest is evaluated) when a page shows 200.
    /// </summary>
    private sealed record Side(OutcomeCounts Counts, int Unreadable, DateOnly? StoredAsOf, int Skipped)
    {
        public IReadOnlyList<CompanyRef>? Eligible { get; init; }

        public IReadOnlySet<long>? EligibleIds { get; init; }
    }

    public async Task<ImpactReport> RunAsync(MeasureVersionRow draft, MeasureVersionRow? published, DateOnly asOf, CancellationToken ct)
    {
        // Only comparing two versions needs all of the published version's eligible companies; otherwise the page lists the first ones.
        // A draft whose criteria are the published ones (a new amount, window or wording) matches exactly
        // the same companies: its figures are the published version's, stored, not evaluated again.
        var sameCriteria = published is not null && published.Version != draft.Version && SameCriteria(draft, published);
        var comparing = published is not null && published.Version != draft.Version && !sameCriteria;
        // Comparing needs the published version's eligible companies as a set: from the stored matches, their
        // ids only (the index by measure), not 100,000 names joined and sorted.
        var publishedSide = published is null ? null
            : await StoredSideAsync(published, asOf, comparing ? null : Listed, idsOnly: comparing, ct) ?? await EvaluateAsync(published, asOf, ct);
        var draftSide = published is not null && !comparing ? publishedSide! : await EvaluateAsync(draft, asOf, ct);
        List<long> newly = [], noLonger = [];
        if (publishedSide is not null && !ReferenceEquals(publishedSide, draftSide))
        {
            // Both sides of a comparison are sets of ids (stored ids-only, or evaluated).
            var before = publishedSide.EligibleIds!;
            var now = draftSide.EligibleIds!;
            newly = now.Where(id => !before.Contains(id)).ToList();
            noLonger = before.Where(id => !now.Contains(id)).ToList();
        }
        return new ImpactReport(asOf, draft, published, draftSide.Counts, publishedSide?.Counts,
            draftSide.Eligible ?? await CompaniesByNameAsync(draftSide.EligibleIds!, Listed, ct),
            await CompaniesByNameAsync(newly, Listed, ct), await CompaniesByNameAsync(noLonger, Listed, ct),
            Math.Max(draftSide.Unreadable, publishedSide?.Unreadable ?? 0))
        {
            NewlyEligibleCount = newly.Count,
            NoLongerEligibleCount = noLonger.Count,
            PublishedStoredAsOf = publishedSide?.StoredAsOf,
            DraftEvaluated = draftSide.StoredAsOf is null,
            SkippedByDistrict = draftSide.Skipped,
            DraftSameCriteria = sameCriteria,
        };
    }

    /// <summary>Whether two versions decide a match alike: the same criteria (ids and rules), in the same order.</summary>
    public static bool SameCriteria(MeasureVersionRow a, MeasureVersionRow b) =>
        a.Criteria().Select(c => (c.Id, Rule: c.Rule?.ToJsonString())).SequenceEqual(b.Criteria().Select(c => (c.Id, Rule: c.Rule?.ToJsonString())));

    /// <summary>The companies eligible for one version on a date (the 免申即享 list).</summary>
    public async Task<IReadOnlyList<CompanyRef>> EligibleAsync(MeasureVersionRow version, DateOnly asOf, CancellationToken ct)
    {
        var side = await StoredSideAsync(version, asOf, null, idsOnly: false, ct) ?? await EvaluateAsync(version, asOf, ct);
        return side.Eligible ?? await CompaniesByNameAsync(side.EligibleIds!, int.MaxValue, ct);
    }

    /// <summary>The figures of a published version from the stored matches; null when they are not fresh for the date.</summary>
    private async Task<Side?> StoredSideAsync(MeasureVersionRow version, DateOnly asOf, int? limit, bool idsOnly, CancellationToken ct)
    {
        if (await stored.FreshAsOfAsync(version.MeasureId, version.Version, asOf, ct) is not { } storedAsOf)
        {
            return null;
        }
        var total = await CompanyCountAsync(ct);
        var counts = await stored.CountsOfVersionAsync(version.MeasureId, version.Version, ct);
        var eligibleCount = (int)counts.GetValueOrDefault("eligible");
        var needs = (int)counts.GetValueOrDefault("needs_information");
        // Near misses and the rows not stored (plain "not eligible") are both not eligible.
        var outcomes = new OutcomeCounts(eligibleCount, needs, (int)total - eligibleCount - needs);
        if (idsOnly)
        {
            var ids = await stored.CompanyIdsAsync(version.MeasureId, version.Version, "eligible", ct);
            return new Side(outcomes, 0, storedAsOf, 0) { EligibleIds = ids.ToHashSet() };
        }
        // Dense: at least one company in 20 is eligible, so a walk by name finds the first `limit` soon.
        var dense = (long)eligibleCount * 20 >= total;
        var eligible = (await stored.CompaniesAsync(version.MeasureId, version.Version, "eligible", limit, dense, ct))
            .Select(Ref).ToList();
        return new Side(outcomes, 0, storedAsOf, 0) { Eligible = eligible };
    }

    /// <summary>
    /// The first <paramref name="limit"/> of some companies, ordered as <see cref="StoredMatches.CompaniesAsync"/>
    /// orders a stored list (name, then id, by the database's collation), so a list read by id reads like one
    /// read from the stored matches. Ids of companies deleted since are left out, as the stored list's join
    /// leaves them out. The companies are read by id (a JSON list) and sorted; for the first 200 of more than
    /// <see cref="ReadById"/> (an evaluation of a measure most companies match), the index by name is walked
    /// first and the first ids in the set kept: it holds the names, so the walk reads no row of the table,
    /// where sending 100,000 ids would read and sort them all.
    /// </summary>
    private async Task<IReadOnlyList<CompanyRef>> CompaniesByNameAsync(IReadOnlyCollection<long> ids, int limit, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return [];
        }
        await using var connection = await connections.OpenAsync(ct);
        if (ids.Count > ReadById && limit < ids.Count)
        {
            ids = await FirstInNameOrderAsync(connection, ids as IReadOnlySet<long> ?? ids.ToHashSet(), limit, ct);
        }
        var rows = await connection.QueryAsync<StoredCompany>(new CommandDefinition($"""
            SELECT id, uscc, name, district, verified_at FROM companies
            WHERE {SqlDialect.Of(connection).InJsonIds("id", "@Ids")}
            ORDER BY name, id
            LIMIT @Limit
            """, new { Ids = JsonSerializer.Serialize(ids), Limit = limit }, cancellationToken: ct));
        return rows.Select(Ref).ToList();
    }

    /// <summary>Up to this many companies are read by id and sorted; the first few of more are found in the index by name.</summary>
    private const int ReadById = 20_000;

    /// <summary>
    /// The first <paramref name="limit"/> ids of a set in name order, walking ix_companies_name (name, id) by
    /// keyset pages. Reading the index only, a page costs little even when the set's companies are far into
    /// the alphabet (names cluster: a district's companies can share a prefix).
    /// </summary>
    private static async Task<List<long>> FirstInNameOrderAsync(DbConnection connection, IReadOnlySet<long> set, int limit, CancellationToken ct)
    {
        var found = new List<long>(limit);
        (long Id, string Name)? last = null;
        while (found.Count < limit)
        {
            var page = (await connection.QueryAsync<(long Id, string Name)>(new CommandDefinition($"""
                SELECT id, name FROM companies
                {(last is null ? "" : "WHERE (name, id) > (@Name, @Id)")}
                ORDER BY name, id
                LIMIT @Take
                """, new { last?.Name, last?.Id, Take = NamePage }, cancellationToken: ct))).AsList();
            found.AddRange(page.Where(c => set.Contains(c.Id)).Take(limit - found.Count).Select(c => c.Id));
            if (page.Count < NamePage)
            {
                break;
            }
            last = page[^1];
        }
        return found;
    }

    /// <summary>Index entries per read of a walk by name.</summary>
    private const int NamePage = 5_000;

    private static CompanyRef Ref(StoredCompany c) => new(c.Id, c.Uscc, c.Name, c.District, c.VerifiedAt is not null);

    private async Task<long> CompanyCountAsync(CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM companies", cancellationToken: ct));
    }

    private async Task<Side> EvaluateAsync(MeasureVersionRow version, DateOnly asOf, CancellationToken ct)
    {
        var measure = matching.Prepare(version);
        var districts = RequiredDistricts(version.Criteria());
        long firstId, lastId, total;
        string sql;
        bool postgres;
        await using (var connection = await connections.OpenAsync(ct))
        {
            (firstId, lastId, total) = await connection.QuerySingleAsync<(long, long, long)>(new CommandDefinition(
                "SELECT COALESCE(MIN(id), 0), COALESCE(MAX(id), -1), COUNT(*) FROM companies", cancellationToken: ct));
            var dialect = SqlDialect.Of(connection);
            postgres = dialect.Provider == DbProvider.PostgreSql;
            // The profile's UTF-8 bytes: SQLite's text is UTF-8, read as a blob; PostgreSQL sends text in the
            // client encoding, which Npgsql sets to UTF-8 whatever the server's, read raw (ProfileBytes).
            var utf8 = postgres ? "profile_json" : "CAST(profile_json AS BLOB)";
            // A JSON list, not Dapper's "IN @list" (PostgreSQL is sent an array there, which IN does not take).
            var inDistricts = $"district IN (SELECT d.value FROM {dialect.JsonArrayRows("@Districts", "d")})";
            sql = $"SELECT id, {utf8} FROM companies WHERE id >= @From AND id < @To"
                + (districts is null ? "" : $" AND ({inDistricts} OR district IS NULL OR district = '')");
        }
        var districtsJson = districts is null ? null : JsonSerializer.Serialize(districts);
        // The ids are cut into ranges, taken in turn by the workers: each reads a range on a connection of its
        // own and evaluates it row by row, so reading (SQLite's reads are synchronous, PostgreSQL's are its
        // server's work) and evaluating run on every core with no hand-over between them, and memory holds
        // one profile per worker.
        var next = firstId;
        long? TakeRange()
        {
            var from = Interlocked.Add(ref next, RangeIds) - RangeIds;
            return from <= lastId ? from : null;
        }
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var workers = Enumerable.Range(0, Math.Min(Environment.ProcessorCount, MaxWorkers))
            .Select(_ => Task.Run(async () =>
            {
                try
                {
                    return await EvaluateRangesAsync(measure, sql, districtsJson, postgres, TakeRange, asOf, failed.Token);
                }
                catch
                {
                    await failed.CancelAsync(); // the others stop too: the preview has failed
                    throw;
                }
            }, failed.Token))
            .ToArray();
        var tallies = await Task.WhenAll(workers);
        var eligible = new HashSet<long>(tallies.Sum(t => t.Eligible.Count));
        foreach (var tally in tallies)
        {
            eligible.UnionWith(tally.Eligible);
        }
        var evaluated = tallies.Sum(t => t.Evaluated);
        var skipped = districts is null ? 0 : (int)total - evaluated;
        return new Side(new OutcomeCounts(eligible.Count, tallies.Sum(t => t.NeedsInformation), tallies.Sum(t => t.NotEligible) + skipped),
            tallies.Sum(t => t.Unreadable), null, skipped) { EligibleIds = eligible };
    }

    /// <summary>
    /// Ids per range a worker reads and evaluates at a time. Ids are given in order by the database, so ranges
    /// hold about this many companies; the gaps deleted companies leave cost one short query per empty range.
    /// </summary>
    private const int RangeIds = 1_000;

    /// <summary>At most this many connections (and cores) one preview takes, whatever the machine.</summary>
    private const int MaxWorkers = 4;

    /// <summary>What one worker found in the ranges it took.</summary>
    private sealed class Tally
    {
        public List<long> Eligible { get; } = [];

        public int NeedsInformation { get; set; }

        public int NotEligible { get; set; }

        public int Unreadable { get; set; }

        /// <summary>Every company read: each has one of the outcomes above.</summary>
        public int Evaluated => Eligible.Count + NeedsInformation + NotEligible + Unreadable;
    }

    /// <summary>
    /// One worker: ranges of ids until none is left, each read as (id, profile bytes) column by column and
    /// evaluated as it is read. The command is prepared once and disposed here, not left to its finalizer.
    /// </summary>
    private async Task<Tally> EvaluateRangesAsync(PublishedMeasure measure, string sql, string? districtsJson, bool postgres,
        Func<long?> takeRange, DateOnly asOf, CancellationToken ct)
    {
        var tally = new Tally();
        var facts = new ProfileFactsReader(); // each profile is evaluated as it is read, and not kept
        var buffer = ArrayPool<byte>.Shared.Rent(4_096);
        try
        {
            await using var connection = await connections.OpenAsync(ct);
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            var from = AddParameter(command, "From", 0L);
            var to = AddParameter(command, "To", 0L);
            if (districtsJson is not null)
            {
                AddParameter(command, "Districts", districtsJson);
            }
            // Parsed and planned once: PostgreSQL otherwise does both for each of a worker's ~50 ranges.
            await command.PrepareAsync(ct);
            while (takeRange() is { } start)
            {
                from.Value = start;
                to.Value = start + RangeIds;
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    switch (OutcomeOf(measure, facts, ProfileBytes(reader, postgres, ref buffer).Span, asOf))
                    {
                        case null: tally.Unreadable++; break;
                        case Outcome.Eligible: tally.Eligible.Add(reader.GetInt64(0)); break;
                        case Outcome.NeedsInformation: tally.NeedsInformation++; break;
                        default: tally.NotEligible++; break;
                    }
                }
            }
            return tally;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The profile column's bytes. SQLite's, read as a blob, come as an array of their own (its reader copies a
    /// column's bytes whatever it is asked for). PostgreSQL's text is read into <paramref name="buffer"/> as the
    /// server sent it (Npgsql reads any type as a stream), without converting it to bytea on the server
    /// (<c>convert_to</c> copied and re-checked every profile there).
    /// </summary>
    private static ReadOnlyMemory<byte> ProfileBytes(DbDataReader reader, bool postgres, ref byte[] buffer)
    {
        if (!postgres)
        {
            return reader.GetFieldValue<byte[]>(1);
        }
        using var stream = reader.GetStream(1);
        var length = (int)stream.Length;
        Fit(ref buffer, length);
        stream.ReadExactly(buffer, 0, length);
        return buffer.AsMemory(0, length);
    }

    private static void Fit(ref byte[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = ArrayPool<byte>.Shared.Rent(length);
        }
    }

    private static DbParameter AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    /// <summary>The outcome for the profile; null when the stored profile cannot be read.</summary>
    private Outcome? OutcomeOf(PublishedMeasure measure, ProfileFactsReader facts, ReadOnlySpan<byte> profileUtf8, DateOnly asOf) =>
        // Profiles are written by the portal and valid; a row edited by hand (not JSON, not an object, a name
        // twice) must not stop the preview: it is counted as unreadable. Read in one pass, not as a document
        // (parsing it and checking its names cost more than evaluating it), and only the values the measure's
        // criteria read become facts: the whole profile is still checked, so what the portal cannot read is
        // unreadable here too.
        facts.TryRead(profileUtf8, asOf, measure.Rules.FactsRead, out var read) ? matching.OutcomeOf(measure, read) : null;

    /// <summary>
    /// The districts a measure's criteria require (every criterion must hold): from criteria of the form
    /// <c>district == "X"</c> or <c>district in [...]</c>; null when none restricts the district.
    /// </summary>
    public static IReadOnlyList<string>? RequiredDistricts(IReadOnlyList<Criterion> criteria)
    {
        HashSet<string>? required = null;
        foreach (var criterion in criteria)
        {
            if (criterion.Rule is not JsonObject { Count: 1 } rule)
            {
                continue;
            }
            var (op, args) = rule.First();
            if (args is not JsonArray { Count: 2 } pair || !IsDistrictVar(pair[0]))
            {
                continue;
            }
            HashSet<string>? these = op switch
            {
                "==" or "===" when pair[1] is JsonValue v && v.TryGetValue<string>(out var one) => [one],
                "in" when pair[1] is JsonArray list && list.All(x => x is JsonValue xv && xv.TryGetValue<string>(out _)) =>
                    list.Select(x => x!.GetValue<string>()).ToHashSet(StringComparer.Ordinal),
                _ => null,
            };
            if (these is not null)
            {
                if (required is null)
                {
                    required = these;
                }
                else
                {
                    required.IntersectWith(these);
                }
            }
        }
        return required?.Order(StringComparer.Ordinal).ToList();
    }

    private static bool IsDistrictVar(JsonNode? node) =>
        node is JsonObject { Count: 1 } o && o["var"] is JsonValue v && v.TryGetValue<string>(out var name) && name == Facts.District;
}
