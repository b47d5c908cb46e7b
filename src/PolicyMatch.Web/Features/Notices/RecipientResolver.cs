using PolicyMatch.Web.Infrastructure.Time;
using System.Data.Common;
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
    /// with a null date. The fan-out itself still evaluates on the send date. The page shows how many
    /// users and the first <paramref name="first"/> by user: so the join reads ids only (and the profiles
    /// of companies whose district alone does not settle the region), and names and addresses are read
    /// for the users listed, not for 100,000.
    /// </summary>
    public async Task<PreviewedRecipients> PreviewAsync(
        IReadOnlyCollection<string> measureIds, string kind, DateOnly asOf, IReadOnlyCollection<string>? regions = null,
        int first = PreviewedRecipients.Listed, CancellationToken ct = default)
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
                var evaluated = await ForMeasuresAsync(measureIds, kind, asOf, regions, ct);
                return new PreviewedRecipients(evaluated.Count, [.. evaluated.Take(first)], null);
            }
            storedAsOf = storedAsOf is { } d && d < fresh ? d : fresh;
        }
        if (published.Count == 0)
        {
            return new PreviewedRecipients(0, [], null);
        }
        // The districts wholly inside the regions: a company there is in without reading its profile; only
        // the others' profiles are read, for a zone (北京市 holds the 16 districts, 京津冀 everything).
        var all = regions is null || regions.Count == 0 || regions.Contains("京津冀");
        var inside = all ? [] : regions!.Concat(regions!.Contains("北京市") ? Facts.BeijingDistricts : []).Distinct().ToList();
        await using var db = await connections.OpenAsync(ct);
        // JSON lists, not Dapper's "IN @list" (PostgreSQL is sent an array there, which IN does not take).
        var dialect = SqlDialect.Of(db);
        var isInside = $"c.district IN (SELECT i.value FROM {dialect.JsonArrayRows("@Inside", "i")})";
        var insideJson = JsonSerializer.Serialize(inside);
        // One query per linked measure (a notice links a few), each an equality on the index by measure: with the
        // ids as a JSON list, PostgreSQL estimated the list and scanned all stored rows. The stored rows come first:
        // SQLite keeps the written order of a CROSS JOIN, and given the choice it started from the subscriptions
        // and looked every one up in the stored rows; PostgreSQL plans the joins itself.
        var rows = new List<(long CompanyId, long UserId, string? ProfileJson)>();
        foreach (var measure in published)
        {
            rows.AddRange(await db.QueryAsync<(long CompanyId, long UserId, string? ProfileJson)>(new CommandDefinition($"""
                SELECT c.id, m.user_id, {(all ? "NULL" : $"CASE WHEN {isInside} THEN NULL ELSE c.profile_json END")}
                FROM company_matches cm
                CROSS JOIN companies c
                CROSS JOIN company_members m
                CROSS JOIN notice_subscriptions s
                WHERE cm.measure_id = @Measure AND cm.outcome = 'eligible'
                  AND c.id = cm.company_id AND m.company_id = c.id AND s.user_id = m.user_id AND s.kind = @Kind
                """, new { Kind = kind, Measure = measure.MeasureId, Inside = insideJson }, cancellationToken: ct)));
        }
        // (user, company) once each, in order: a company eligible for two of the measures arrives twice.
        var inRegion = new Dictionary<long, bool>();
        var pairs = new List<(long UserId, long CompanyId)>();
        foreach (var (companyId, userId, profileJson) in rows)
        {
            if (!inRegion.TryGetValue(companyId, out var isIn))
            {
                // No profile read: the district is inside the regions.
                isIn = profileJson is null || InRegions(JsonNode.Parse(profileJson) as JsonObject ?? [], regions ?? []);
                inRegion[companyId] = isIn;
            }
            if (isIn)
            {
                pairs.Add((userId, companyId));
            }
        }
        pairs.Sort();
        var users = 0;
        var listed = new List<(long UserId, List<long> CompanyIds)>();
        (long UserId, long CompanyId)? previous = null;
        foreach (var pair in pairs)
        {
            if (pair == previous)
            {
                continue;
            }
            if (previous?.UserId != pair.UserId && ++users <= first)
            {
                listed.Add((pair.UserId, []));
            }
            if (users <= first)
            {
                listed[^1].CompanyIds.Add(pair.CompanyId);
            }
            previous = pair;
        }
        return new PreviewedRecipients(users, await DescribeAsync(db, listed, ct), storedAsOf);
    }

    /// <summary>The listed users with their addresses and the names of their companies (in company id order).</summary>
    private static async Task<IReadOnlyList<Recipient>> DescribeAsync(DbConnection db, IReadOnlyList<(long UserId, List<long> CompanyIds)> listed, CancellationToken ct)
    {
        if (listed.Count == 0)
        {
            return [];
        }
        var dialect = SqlDialect.Of(db);
        var people = (await db.QueryAsync<(long Id, string Email, string DisplayName)>(new CommandDefinition($"""
            SELECT id, email, display_name FROM users WHERE {dialect.InJsonIds("id", "@Ids")}
            """, new { Ids = JsonSerializer.Serialize(listed.Select(l => l.UserId)) }, cancellationToken: ct))).ToDictionary(p => p.Id);
        var names = (await db.QueryAsync<(long Id, string Name)>(new CommandDefinition($"""
            SELECT id, name FROM companies WHERE {dialect.InJsonIds("id", "@Ids")}
            """, new { Ids = JsonSerializer.Serialize(listed.SelectMany(l => l.CompanyIds).Distinct()) }, cancellationToken: ct))).ToDictionary(c => c.Id, c => c.Name);
        return listed.Where(l => people.ContainsKey(l.UserId)).Select(l =>
        {
            var person = people[l.UserId];
            return new Recipient(person.Id, person.Email, person.DisplayName, l.CompanyIds[0], names[l.CompanyIds[0]])
            {
                CompanyIds = l.CompanyIds,
                CompanyNames = [.. l.CompanyIds.Select(id => names[id])],
            };
        }).ToList();
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
