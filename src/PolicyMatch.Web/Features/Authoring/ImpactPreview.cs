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
/// profiles — bounded: companies are read in keyset pages of <see cref="PageSize"/>, the next page read
/// while each is evaluated on every core, so memory grows with the eligible lists only; and when the draft's
/// criteria require districts, only companies in them (or without one) are read, the others cannot be
/// eligible (a criterion that is false makes the whole measure not eligible). Stale or missing stored rows
/// fall back to the same evaluation. Compared with a published version, the stored side is read as ids.
/// For 100,000 companies the cost is the profiles themselves (read, parse, facts) and the garbage they
/// leave: the benchmark's README has the figures and what each change gained.
/// </summary>
public sealed class ImpactPreview(IDbConnectionFactory connections, MatchService matching, StoredMatches stored)
{
    /// <summary>Companies per page. Two pages are held at a time (one evaluated, one read): small pages keep that small while collections run.</summary>
    public const int PageSize = 500;

    /// <summary>How many eligible companies the preview page lists (by name); the CSV export has them all.</summary>
    public const int Listed = 200;

    private sealed record Side(OutcomeCounts Counts, IReadOnlyList<CompanyRef> Eligible, int Unreadable, DateOnly? StoredAsOf, int Skipped)
    {
        /// <summary>Set when only the ids of the eligible companies were read (stored, for a comparison): <see cref="Eligible"/> is then empty.</summary>
        public IReadOnlySet<long>? EligibleIds { get; init; }

        /// <summary>
        /// <see cref="Eligible"/> is in id order when it was evaluated (no stored date), not by name: a preview
        /// shows the first 200 by name, so only those are picked (and the newly / no longer eligible sorted),
        /// not 100,000 names sorted. A stored list is read by name.
        /// </summary>
        public bool InIdOrder => StoredAsOf is null;
    }

    /// <summary>The order of an evaluated list: by name (ordinal), then id.</summary>
    private static readonly Comparer<CompanyRef> ByName =
        Comparer<CompanyRef>.Create((a, b) => string.CompareOrdinal(a.Name, b.Name) is var c && c != 0 ? c : a.Id.CompareTo(b.Id));

    /// <summary>Companies of a side by name, the first <paramref name="first"/> of them or all.</summary>
    private static IReadOnlyList<CompanyRef> Ordered(Side side, IEnumerable<CompanyRef> companies, int first = int.MaxValue) =>
        // Order().Take() selects the first ones without sorting the rest.
        (side.InIdOrder ? companies.Order(ByName) : companies).Take(first).ToList();

    public async Task<ImpactReport> RunAsync(MeasureVersionRow draft, MeasureVersionRow? published, DateOnly asOf, CancellationToken ct)
    {
        // Only comparing two versions needs all of the published version's eligible companies; otherwise the page lists the first ones.
        // A draft whose criteria are the published ones (a new amount, window or wording) matches exactly
        // the same companies: its figures are the published version's, stored, not evaluated again.
        var sameCriteria = published is not null && published.Version != draft.Version && SameCriteria(draft, published);
        var comparing = published is not null && published.Version != draft.Version && !sameCriteria;
        // Comparing needs the published version's eligible companies as a set: from the stored matches, their
        // ids only (the index by measure), not 100,000 names joined and sorted; those no longer eligible are
        // then read by id, in the order the stored list has.
        var publishedSide = published is null ? null
            : await StoredSideAsync(published, asOf, comparing ? null : Listed, idsOnly: comparing, ct) ?? await EvaluateAsync(published, asOf, ct);
        var draftSide = published is not null && !comparing ? publishedSide! : await EvaluateAsync(draft, asOf, ct);
        IReadOnlyList<CompanyRef> newly = [], noLonger = [];
        if (publishedSide is not null && !ReferenceEquals(publishedSide, draftSide))
        {
            var before = publishedSide.EligibleIds ?? publishedSide.Eligible.Select(c => c.Id).ToHashSet();
            var now = draftSide.Eligible.Select(c => c.Id).ToHashSet();
            newly = Ordered(draftSide, draftSide.Eligible.Where(c => !before.Contains(c.Id)));
            noLonger = publishedSide.EligibleIds is null
                ? Ordered(publishedSide, publishedSide.Eligible.Where(c => !now.Contains(c.Id)))
                : await CompaniesByNameAsync(before.Where(id => !now.Contains(id)).ToList(), ct);
        }
        return new ImpactReport(asOf, draft, published, draftSide.Counts, publishedSide?.Counts, Ordered(draftSide, draftSide.Eligible, Listed), newly, noLonger,
            Math.Max(draftSide.Unreadable, publishedSide?.Unreadable ?? 0))
        {
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
        return side.InIdOrder ? Ordered(side, side.Eligible) : side.Eligible;
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
            return new Side(outcomes, [], 0, storedAsOf, 0) { EligibleIds = ids.ToHashSet() };
        }
        // Dense: at least one company in 20 is eligible, so a walk by name finds the first `limit` soon.
        var dense = (long)eligibleCount * 20 >= total;
        var eligible = (await stored.CompaniesAsync(version.MeasureId, version.Version, "eligible", limit, dense, ct))
            .Select(Ref).ToList();
        return new Side(outcomes, eligible, 0, storedAsOf, 0);
    }

    /// <summary>
    /// Companies by id, ordered as <see cref="StoredMatches.CompaniesAsync"/> orders a stored list (name, then
    /// id, by the database's collation), so a list read by id reads like one read from the stored matches.
    /// Ids of companies deleted since the rematch are left out, as the stored list's join leaves them out.
    /// </summary>
    private async Task<IReadOnlyList<CompanyRef>> CompaniesByNameAsync(IReadOnlyList<long> ids, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return [];
        }
        await using var connection = await connections.OpenAsync(ct);
        var rows = await connection.QueryAsync<StoredCompany>(new CommandDefinition($"""
            SELECT id, uscc, name, district, verified_at FROM companies
            WHERE id IN (SELECT CAST(j.value AS BIGINT) FROM {SqlDialect.Of(connection).JsonArrayRows("@Ids", "j")})
            ORDER BY name, id
            """, new { Ids = JsonSerializer.Serialize(ids) }, cancellationToken: ct));
        return rows.Select(Ref).ToList();
    }

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
        int eligibleCount = 0, needs = 0, notEligible = 0, unreadable = 0, evaluated = 0;
        var eligible = new List<CompanyRef>();
        var groups = new MatchGroup?[PageSize];
        await using var connection = await connections.OpenAsync(ct);
        var total = districts is null ? 0 : await CompanyCountAsync(ct);
        // A JSON list, not Dapper's "IN @list" (PostgreSQL is sent an array there, which IN does not take).
        var inDistricts = $"district IN (SELECT d.value FROM {SqlDialect.Of(connection).JsonArrayRows("@Districts", "d")})";
        var districtsJson = JsonSerializer.Serialize(districts ?? []);
        // The profile's UTF-8 bytes, as stored (SQLite's text is UTF-8; PostgreSQL's is converted whatever the server's encoding).
        var utf8 = SqlDialect.Of(connection).Provider == DbProvider.PostgreSql ? "convert_to(profile_json, 'UTF8')" : "CAST(profile_json AS BLOB)";
        var columns = $"id, uscc, name, district, {utf8} AS profile_utf8, verified_at";
        var sql = districts is null
            ? $"SELECT {columns} FROM companies WHERE id > @After ORDER BY id LIMIT @Take"
            : $"SELECT {columns} FROM companies WHERE id > @After AND ({inDistricts} OR district IS NULL OR district = '') ORDER BY id LIMIT @Take";
        // Keyset paging: each page is one short read, whatever the number of companies. On a thread of its own
        // (SQLite's reads are synchronous), so that the next page is read while this one is evaluated.
        Task<List<CompanyProfileRow>> ReadAfter(long after) => Task.Run(async () => (await connection.QueryAsync<CompanyProfileRow>(
            new CommandDefinition(sql, new { After = after, Take = PageSize, Districts = districtsJson }, cancellationToken: ct))).AsList(), ct);
        var reading = ReadAfter(0);
        try
        {
            while (true)
            {
                var page = await reading;
                if (page.Count == 0)
                {
                    break;
                }
                reading = ReadAfter(page[^1].Id);
                Parallel.For(0, page.Count, new ParallelOptions { CancellationToken = ct }, i => groups[i] = Match(measure, page[i].ProfileUtf8, asOf));
                for (var i = 0; i < page.Count; i++)
                {
                    switch (groups[i])
                    {
                        case null: unreadable++; break;
                        case MatchGroup.Eligible:
                            eligibleCount++;
                            eligible.Add(new CompanyRef(page[i].Id, page[i].Uscc, page[i].Name, page[i].District, page[i].VerifiedAt is not null));
                            break;
                        case MatchGroup.NeedsInformation: needs++; break;
                        default: notEligible++; break;
                    }
                }
                evaluated += page.Count;
            }
        }
        finally
        {
            // The connection is disposed after this: a read still running (the evaluation failed or was cancelled) ends first.
            await ((Task)reading).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        var skipped = districts is null ? 0 : (int)total - evaluated;
        return new Side(new OutcomeCounts(eligibleCount, needs, notEligible + skipped), eligible, unreadable, null, skipped);
    }

    /// <summary>
    /// A name twice in one object is refused, as JsonNode (which the portal reads profiles with) refuses it:
    /// such a row is unreadable here too, where it used to stop the preview.
    /// </summary>
    private static readonly JsonDocumentOptions ProfileOptions = new() { AllowDuplicateProperties = false };

    /// <summary>The group <see cref="MatchService.Match"/> gives the profile; null when the stored profile cannot be read.</summary>
    private MatchGroup? Match(PublishedMeasure measure, byte[] profileUtf8, DateOnly asOf)
    {
        // Profiles are written by the portal and valid; a row edited by hand must not stop the preview.
        // Read as a JsonDocument, not a JsonNode: building every profile's nodes cost more than evaluating it.
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(profileUtf8, ProfileOptions);
        }
        catch (JsonException)
        {
            return null;
        }
        using (document)
        {
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? matching.Match(measure, ProfileFacts.From(document.RootElement, asOf), asOf).Group
                : null;
        }
    }

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
