using PolicyMatch.Web.Infrastructure.Time;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using PolicyMatch.Rules;
using PolicyMatch.Web.Features.Catalog;
using PolicyMatch.Web.Infrastructure.Data;

namespace PolicyMatch.Web.Features.Notices;

/// <summary>A company with the members who subscribed to one kind.</summary>
public sealed record SubscribedCompany(long CompanyId, string CompanyName, string ProfileJson, IReadOnlyList<SubscribedMember> Members)
{
    public JsonObject Profile() => JsonNode.Parse(ProfileJson) as JsonObject ?? [];
}

public sealed record SubscribedMember(long UserId, string Email, string DisplayName);

/// <summary>
/// Who a notice reaches: the users subscribed to its kind who are members of a company whose profile
/// is eligible, on the as-of date, for any of the notice's measures (the same engine and published
/// versions the matches page uses). Only "eligible" counts: a company that "needs information" is not told.
/// </summary>
public sealed class RecipientResolver(IDbConnectionFactory connections, CatalogCache catalog, Matching.MatchService matching, Rematch.StoredMatches stored, TimeProvider clock)
{
    private sealed record MemberRow
    {
        public long CompanyId { get; init; }
        public string CompanyName { get; init; } = "";
        public string ProfileJson { get; init; } = "{}";
        public long UserId { get; init; }
        public string Email { get; init; } = "";
        public string DisplayName { get; init; } = "";

        /// <summary>1 when the company's district is known to be in the regions (the preview's query).</summary>
        public long Inside { get; init; }
    }

    /// <summary>Companies with at least one member subscribed to the kind (optionally one company).</summary>
    public async Task<IReadOnlyList<SubscribedCompany>> SubscribedCompaniesAsync(string kind, long? companyId = null, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        var rows = await db.QueryAsync<MemberRow>("""
            SELECT c.id AS company_id, c.name AS company_name, c.profile_json, u.id AS user_id, u.email, u.display_name
            FROM notice_subscriptions s
            JOIN users u ON u.id = s.user_id
            JOIN company_members m ON m.user_id = s.user_id
            JOIN companies c ON c.id = m.company_id
            WHERE s.kind = @Kind AND (@Company IS NULL OR c.id = @Company)
            ORDER BY c.id, u.id
            """, new { Kind = kind, Company = companyId });
        return rows.GroupBy(r => r.CompanyId)
            .Select(g => new SubscribedCompany(g.Key, g.First().CompanyName, g.First().ProfileJson,
                g.Select(r => new SubscribedMember(r.UserId, r.Email, r.DisplayName)).ToList()))
            .ToList();
    }

    /// <summary>The regions stored for a notice (scheduled or published); empty when it has none.</summary>
    public async Task<IReadOnlyList<string>> RegionsOfAsync(string noticeId, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return (await db.QueryAsync<string>("SELECT region FROM notice_regions WHERE notice_id = @Id ORDER BY region", new { Id = noticeId })).ToList();
    }

    /// <summary>The recipients of a notice: eligible for its measures, and in its regions.</summary>
    public async Task<IReadOnlyList<Recipient>> ForNoticeAsync(string noticeId, IReadOnlyCollection<string> measureIds, string kind, DateOnly asOf, CancellationToken ct = default) =>
        await ForMeasuresAsync(measureIds, kind, asOf, await RegionsOfAsync(noticeId, ct), ct);

    /// <summary>
    /// Whether a company is in one of the regions: its district, a zone of its profile, or a wider
    /// region that contains the district (北京市, 京津冀). No regions: everywhere.
    /// </summary>
    public static bool InRegions(JsonObject profile, IReadOnlyCollection<string> regions)
    {
        if (regions.Count == 0)
        {
            return true;
        }
        var district = profile["district"] is JsonValue d && d.TryGetValue<string>(out var name) ? name : null;
        // Not Reference.RegionsReaching: that also counts every zone of the district (right for listing
        // measures, too wide for sending): a notice for 未来科学城 goes to companies that say they are there.
        if (district is not null && (regions.Contains(district) || regions.Contains("京津冀")
            || (regions.Contains("北京市") && Facts.BeijingDistricts.Contains(district))))
        {
            return true;
        }
        return profile["zones"] is JsonArray zones && zones.Any(z => z is JsonValue v && v.TryGetValue<string>(out var zone) && regions.Contains(zone));
    }

    /// <summary>The recipients of a message about <paramref name="measureIds"/> (in <paramref name="regions"/> when given), one per user, ordered by user.</summary>
    public async Task<IReadOnlyList<Recipient>> ForMeasuresAsync(IReadOnlyCollection<string> measureIds, string kind, DateOnly asOf, IReadOnlyCollection<string>? regions = null, CancellationToken ct = default)
    {
        var published = await catalog.GetPublishedAsync(ct);
        var measures = published.Where(m => measureIds.Contains(m.Row.MeasureId)).ToList();
        if (measures.Count == 0)
        {
            return [];
        }
        var recipients = new Dictionary<long, Recipient>();
        foreach (var company in await SubscribedCompaniesAsync(kind, null, ct))
        {
            var profile = company.Profile();
            if (!InRegions(profile, regions ?? []) || !IsEligibleForAny(profile, measures, asOf))
            {
                continue;
            }
            foreach (var member in company.Members)
            {
                // A user in two eligible companies is told once, naming both.
                recipients[member.UserId] = recipients.TryGetValue(member.UserId, out var known)
                    ? known with { CompanyIds = [.. known.CompanyIds, company.CompanyId], CompanyNames = [.. known.CompanyNames, company.CompanyName] }
                    : new Recipient(member.UserId, member.Email, member.DisplayName, company.CompanyId, company.CompanyName);
            }
        }
        return recipients.Values.OrderBy(r => r.UserId).ToList();
    }

    /// <summary>
    /// The recipient preview: like <see cref="ForMeasuresAsync"/>, but read from the stored matches
    /// (<c>company_matches</c>) when they are fresh for every linked measure — one query joining the
    /// eligible rows to the subscribed members, instead of evaluating every subscribed company — with
    /// the date they are as of. Otherwise (a measure rematched too long ago) it evaluates, and says so
    /// with a null date. The fan-out itself still evaluates on the send date.
    /// </summary>
    public async Task<(IReadOnlyList<Recipient> Recipients, DateOnly? StoredAsOf)> PreviewAsync(
        IReadOnlyCollection<string> measureIds, string kind, DateOnly asOf, IReadOnlyCollection<string>? regions = null, CancellationToken ct = default)
    {
        var published = (await catalog.GetPublishedAsync(ct)).Where(m => measureIds.Contains(m.Row.MeasureId)).Select(m => m.Row).ToList();
        var today = BeijingTime.Today(clock);
        DateOnly? storedAsOf = null;
        foreach (var measure in published)
        {
            // The stored rows are as of the last rematch (daily): fresh for today, not for a send date far ahead.
            var fresh = await stored.FreshAsOfAsync(measure.MeasureId, measure.Version, asOf < today ? asOf : today, ct);
            if (fresh is null)
            {
                return (await ForMeasuresAsync(measureIds, kind, asOf, regions, ct), null);
            }
            storedAsOf = storedAsOf is { } d && d < fresh ? d : fresh;
        }
        if (published.Count == 0)
        {
            return ([], null);
        }
        // The districts wholly inside the regions: a company there is in without reading its profile; only
        // the others' profiles are read, for a zone (北京市 holds the 16 districts, 京津冀 everything).
        var all = regions is null || regions.Count == 0 || regions.Contains("京津冀");
        var inside = all ? [] : regions!.Concat(regions!.Contains("北京市") ? Facts.BeijingDistricts : []).Distinct().ToList();
        await using var db = await connections.OpenAsync(ct);
        // JSON lists, not Dapper's "IN @list" (PostgreSQL is sent an array there, which IN does not take).
        var dialect = SqlDialect.Of(db);
        var isInside = $"c.district IN (SELECT i.value FROM {dialect.JsonArrayRows("@Inside", "i")})";
        var rows = await db.QueryAsync<MemberRow>($"""
            SELECT c.id AS company_id, c.name AS company_name,
                   {(all ? "'{}'" : $"CASE WHEN {isInside} THEN '{{}}' ELSE c.profile_json END")} AS profile_json,
                   {(all ? "1" : $"CASE WHEN {isInside} THEN 1 ELSE 0 END")} AS inside,
                   u.id AS user_id, u.email, u.display_name
            FROM company_matches cm
            JOIN companies c ON c.id = cm.company_id
            JOIN company_members m ON m.company_id = c.id
            JOIN notice_subscriptions s ON s.user_id = m.user_id AND s.kind = @Kind
            JOIN users u ON u.id = m.user_id
            WHERE cm.measure_id IN (SELECT x.value FROM {dialect.JsonArrayRows("@Measures", "x")}) AND cm.outcome = 'eligible'
            """, new { Kind = kind, Measures = JsonSerializer.Serialize(published.Select(m => m.MeasureId)), Inside = JsonSerializer.Serialize(inside) });
        var recipients = new Dictionary<long, Recipient>();
        var inRegion = new Dictionary<long, bool>();
        foreach (var row in rows)
        {
            if (!inRegion.TryGetValue(row.CompanyId, out var isIn))
            {
                isIn = row.Inside == 1 || InRegions(JsonNode.Parse(row.ProfileJson) as JsonObject ?? [], regions ?? []);
                inRegion[row.CompanyId] = isIn;
            }
            if (!isIn || recipients.TryGetValue(row.UserId, out var known) && known.CompanyIds.Contains(row.CompanyId))
            {
                continue; // outside, or the same company again (eligible for two of the measures)
            }
            recipients[row.UserId] = known is not null
                ? known with { CompanyIds = [.. known.CompanyIds, row.CompanyId], CompanyNames = [.. known.CompanyNames, row.CompanyName] }
                : new Recipient(row.UserId, row.Email, row.DisplayName, row.CompanyId, row.CompanyName);
        }
        // Ordered here rather than in SQL: sorting 100,000 joined rows there cost more than this.
        return (recipients.Values.OrderBy(r => r.UserId).Select(ByCompanyId).ToList(), storedAsOf);
    }

    /// <summary>A recipient's companies in id order (rows of several measures arrive interleaved).</summary>
    private static Recipient ByCompanyId(Recipient r)
    {
        if (r.CompanyIds.Count < 2)
        {
            return r;
        }
        var ordered = r.CompanyIds.Zip(r.CompanyNames).OrderBy(p => p.First).ToList();
        return new Recipient(r.UserId, r.Email, r.DisplayName, ordered[0].First, ordered[0].Second)
        {
            CompanyIds = ordered.Select(p => p.First).ToList(),
            CompanyNames = ordered.Select(p => p.Second).ToList(),
        };
    }

    public bool IsEligibleForAny(JsonObject profile, IReadOnlyList<PublishedMeasure> measures, DateOnly asOf)
    {
        var facts = ProfileFacts.From(profile, asOf);
        return measures.Any(m => matching.IsEligible(m, facts, asOf));
    }

    /// <summary>The published measures (not expired on the date) the profile is eligible for.</summary>
    public async Task<IReadOnlyList<MeasureVersionRow>> EligibleMeasuresAsync(JsonObject profile, DateOnly asOf, CancellationToken ct = default)
    {
        var facts = ProfileFacts.From(profile, asOf);
        return (await catalog.GetPublishedAsync(ct))
            .Where(m => m.Row.PeriodStatusOn(asOf) != PeriodStatus.Expired && matching.IsEligible(m, facts, asOf))
            .Select(m => m.Row)
            .ToList();
    }
}
