using PolicyMatch.Web.Infrastructure.Time;
using System.Text.Json.Nodes;
using PolicyMatch.Web.Features.Authoring;
using PolicyMatch.Web.Features.Catalog;
using PolicyMatch.Web.Features.Notices;
using PolicyMatch.Web.Features.Rematch;
using PolicyMatch.Web.Tests.Infrastructure;
using PolicyMatch.Web.Tests.Notices;

namespace PolicyMatch.Web.Tests.Authoring;

/// <summary>
/// Issue 12 item 6: the impact preview, the 免申即享 list and the notice recipient preview read the stored
/// matches of a published measure; a draft, which is in no stored match, is evaluated (only in the
/// districts its criteria require). To tell the two apart, a company's profile is changed behind the
/// rematch's back: the stored answer still has it eligible, an evaluation does not.
/// </summary>
public sealed class StoredImpactTests : IDisposable
{
    private readonly Portal _portal = new();

    private const string Measure = NoticeFixtures.TongzhouMeasure; // district == 通州区, nothing else

    private async Task<(long Moved, long Stays, DateOnly Today)> StoredThenMovedAsync()
    {
        var (owner, _) = await _portal.PersonAsync("stored", NoticeKind.ClaimCall);
        var moved = await _portal.CompanyAsync(NoticeFixtures.Tongzhou, owner, "甲·搬走的通州企业");
        var stays = await _portal.CompanyAsync(NoticeFixtures.Tongzhou, owner, "乙·留下的通州企业");
        await _portal.CompanyAsync(NoticeFixtures.Haidian, null, "丙·海淀企业");
        var today = BeijingTime.Today(TimeProvider.System);
        await _portal.Service<RematchService>().RefreshAllAsync(today);
        // Moved to 海淀区 without a rematch (as if the row were edited by hand): stored rows still say eligible.
        var profile = JsonNode.Parse(await _portal.ScalarAsync<string>("SELECT profile_json FROM companies WHERE id = @Id", new { Id = moved }))!.AsObject();
        profile["district"] = NoticeFixtures.Haidian;
        await _portal.ExecuteAsync("UPDATE companies SET district = '海淀区', profile_json = @P WHERE id = @Id", new { P = profile.ToJsonString(), Id = moved });
        return (moved, stays, today);
    }

    [Fact]
    public async Task The_published_version_reads_the_stored_matches_and_a_draft_is_evaluated_in_its_districts_only()
    {
        var (moved, stays, today) = await StoredThenMovedAsync();
        var published = (await _portal.Service<CatalogRepository>().GetMeasureAsync(Measure))!;
        var impact = _portal.Service<ImpactPreview>();
        var companies = await _portal.ScalarAsync<long>("SELECT COUNT(*) FROM companies");
        var outsideTongzhou = await _portal.ScalarAsync<long>("SELECT COUNT(*) FROM companies WHERE district <> '通州区'");

        var report = await impact.RunAsync(published, published, today, default);
        Assert.Equal(today, report.PublishedStoredAsOf);
        Assert.False(report.DraftEvaluated);
        Assert.Contains(report.Eligible, c => c.Id == moved); // the stored answer
        Assert.Contains(report.Eligible, c => c.Id == stays);
        Assert.Equal(companies, report.DraftCounts.Total);

        // A draft that changes only wording decides alike: the stored answer, not evaluated again.
        var reworded = published with { Version = published.Version + 1, Status = "draft", Title = published.Title + "(修订)" };
        report = await impact.RunAsync(reworded, published, today, default);
        Assert.True(report.DraftSameCriteria);
        Assert.False(report.DraftEvaluated);
        Assert.Contains(report.Eligible, c => c.Id == moved);
        Assert.Empty(report.NoLongerEligible);
        Assert.Equal(report.PublishedCounts, report.DraftCounts);

        // A draft with another criterion (here one that always holds) is in no stored row: it is evaluated
        // on the profiles as they are.
        var criteria = JsonNode.Parse(published.CriteriaJson)!.AsArray();
        criteria.Add(new JsonObject { ["id"] = "always", ["label_zh"] = "总是满足", ["label_en"] = "always holds", ["rule"] = new JsonObject { ["=="] = new JsonArray(1, 1) } });
        var draft = published with { Version = published.Version + 1, Status = "draft", CriteriaJson = criteria.ToJsonString() };
        report = await impact.RunAsync(draft, published, today, default);
        Assert.False(report.DraftSameCriteria);
        Assert.True(report.DraftEvaluated);
        Assert.DoesNotContain(report.Eligible, c => c.Id == moved);
        Assert.Contains(report.Eligible, c => c.Id == stays);
        Assert.Equal([moved], report.NoLongerEligible.Select(c => c.Id));
        Assert.Empty(report.NewlyEligible);
        Assert.Equal(outsideTongzhou, report.SkippedByDistrict); // never read: district == 通州区 is required
        Assert.Equal(companies, report.DraftCounts.Total);

        // 免申即享: the published version from the stored rows, a draft evaluated.
        Assert.Contains(await impact.EligibleAsync(published, today, default), c => c.Id == moved);
        Assert.DoesNotContain(await impact.EligibleAsync(draft, today, default), c => c.Id == moved);

        // Stored rows as of today are not used for a date two days on: evaluated instead.
        var later = await impact.RunAsync(published, published, today.AddDays(2), default);
        Assert.Null(later.PublishedStoredAsOf);
        Assert.DoesNotContain(later.Eligible, c => c.Id == moved);
    }

    [Fact]
    public async Task The_recipient_preview_reads_the_stored_matches_when_they_are_current_and_the_fan_out_evaluates()
    {
        var (moved, stays, today) = await StoredThenMovedAsync();
        var resolver = _portal.Service<RecipientResolver>();

        var (total, users, storedAsOf) = await resolver.PreviewAsync([Measure], NoticeKind.ClaimCall, today.AddDays(1), ["通州区"]);
        Assert.Equal(1, total);
        Assert.Equal(today, storedAsOf);
        var recipient = Assert.Single(users);
        // The stored rows: both companies eligible; the region is read from the profile, so the moved one is not in 通州区.
        Assert.Equal([stays], recipient.CompanyIds);
        (_, users, _) = await resolver.PreviewAsync([Measure], NoticeKind.ClaimCall, today.AddDays(1));
        Assert.Equal([moved, stays], Assert.Single(users).CompanyIds.Order());

        // No rematch since the measure was published (a stale store): evaluated, and said so.
        await _portal.ExecuteAsync("DELETE FROM rematch_runs");
        (_, users, storedAsOf) = await resolver.PreviewAsync([Measure], NoticeKind.ClaimCall, today.AddDays(1));
        Assert.Null(storedAsOf);
        Assert.Equal([stays], Assert.Single(users).CompanyIds);
    }

    [Fact]
    public async Task The_recipient_preview_counts_every_user_and_lists_the_first_by_user_with_all_their_companies()
    {
        var (first, _) = await _portal.PersonAsync("first", NoticeKind.ClaimCall);
        var (second, _) = await _portal.PersonAsync("second", NoticeKind.ClaimCall);
        var (notSubscribed, _) = await _portal.PersonAsync("quiet");
        var b = await _portal.CompanyAsync(NoticeFixtures.Tongzhou, first, "乙·通州");
        var a = await _portal.CompanyAsync(NoticeFixtures.Tongzhou, first, "甲·通州");
        await _portal.CompanyAsync(NoticeFixtures.Haidian, first, "丙·海淀"); // not eligible
        await _portal.CompanyAsync(NoticeFixtures.Tongzhou, second, "丁·通州");
        await _portal.CompanyAsync(NoticeFixtures.Tongzhou, notSubscribed, "戊·通州");
        var today = BeijingTime.Today(TimeProvider.System);
        await _portal.Service<RematchService>().RefreshAllAsync(today);
        var resolver = _portal.Service<RecipientResolver>();

        var preview = await resolver.PreviewAsync([Measure], NoticeKind.ClaimCall, today.AddDays(1), ["通州区"], first: 1);

        Assert.Equal(today, preview.StoredAsOf);
        Assert.Equal(2, preview.Total);
        var listed = Assert.Single(preview.First); // the first user by id, with both eligible companies in id order
        Assert.Equal(first, listed.UserId);
        Assert.Equal([b, a], listed.CompanyIds);
        Assert.Equal(["乙·通州", "甲·通州"], listed.CompanyNames);
        // The same as the evaluation the fan-out does, user for user.
        var sent = await resolver.ForMeasuresAsync([Measure], NoticeKind.ClaimCall, today.AddDays(1), ["通州区"]);
        Assert.Equal(sent.Select(r => (r.UserId, string.Join(",", r.CompanyIds), string.Join(",", r.CompanyNames), r.Email)),
            (await resolver.PreviewAsync([Measure], NoticeKind.ClaimCall, today.AddDays(1), ["通州区"])).First.Select(r => (r.UserId, string.Join(",", r.CompanyIds), string.Join(",", r.CompanyNames), r.Email)));
    }

    /// <summary>
    /// A draft of <see cref="Measure"/> whose only criterion is <paramref name="rule"/>, as version
    /// published + <paramref name="ahead"/>: a saved draft is a version of its own, and a version's rules are
    /// compiled once (EligibilityEngine caches them by version).
    /// </summary>
    private async Task<(MeasureVersionRow Published, MeasureVersionRow Draft)> DraftAsync(JsonNode rule, int ahead)
    {
        var published = (await _portal.Service<CatalogRepository>().GetMeasureAsync(Measure))!;
        var criteria = new JsonArray(new JsonObject { ["id"] = "only", ["label_zh"] = "条件", ["label_en"] = "criterion", ["rule"] = rule });
        return (published, published with { Version = published.Version + ahead, Status = "draft", CriteriaJson = criteria.ToJsonString() });
    }

    [Fact]
    public async Task A_comparison_with_the_stored_matches_lists_the_changes_by_name_and_counts_profiles_it_cannot_read()
    {
        // Created out of name order, so that the lists' order is the preview's doing; Latin initials, which
        // every collation orders alike (the no longer eligible are ordered by the database, as stored lists are).
        var tongzhou = new List<long>();
        foreach (var name in new[] { "Charlie 通州", "Alpha 通州", "Delta 通州", "Bravo 通州" })
        {
            tongzhou.Add(await _portal.CompanyAsync(NoticeFixtures.Tongzhou, null, name));
        }
        var haidian = new List<long>();
        foreach (var name in new[] { "Foxtrot 海淀", "Echo 海淀" })
        {
            haidian.Add(await _portal.CompanyAsync(NoticeFixtures.Haidian, null, name));
        }
        var today = BeijingTime.Today(TimeProvider.System);
        await _portal.Service<RematchService>().RefreshAllAsync(today);
        var impact = _portal.Service<ImpactPreview>();
        string[] Names(IEnumerable<CompanyRef> companies) => companies.Select(c => c.Name).ToArray();

        // Wider (通州 or 海淀): the 海淀 companies are newly eligible, by name; nobody drops out.
        var (published, wider) = await DraftAsync(JsonNode.Parse("""{"in":[{"var":"district"},["通州区","海淀区"]]}""")!, 1);
        var report = await impact.RunAsync(wider, published, today, default);
        Assert.Equal(today, report.PublishedStoredAsOf);
        Assert.True(report.DraftEvaluated);
        Assert.Equal(["Echo 海淀", "Foxtrot 海淀"], Names(report.NewlyEligible));
        Assert.Empty(report.NoLongerEligible);
        Assert.Equal(Names(report.Eligible).Order(StringComparer.Ordinal), Names(report.Eligible));

        // Narrower (two names): the other 通州 companies are no longer eligible, by name, read by id.
        var (_, narrower) = await DraftAsync(JsonNode.Parse("""{"in":[{"var":"name"},["Delta 通州","Bravo 通州"]]}""")!, 2);
        report = await impact.RunAsync(narrower, published, today, default);
        Assert.Equal(["Bravo 通州", "Delta 通州"], Names(report.Eligible));
        Assert.Equal(["Alpha 通州", "Charlie 通州"], Names(report.NoLongerEligible));
        Assert.Empty(report.NewlyEligible);
        Assert.Equal(0, report.Unreadable);

        // Profiles edited by hand into JSON the portal never writes (not JSON; a name twice; not an object):
        // counted as unreadable, not eligible, and the preview still answers.
        await _portal.ExecuteAsync("UPDATE companies SET profile_json = @P WHERE id = @Id", new { P = "{\"name\":", Id = tongzhou[1] });
        await _portal.ExecuteAsync("UPDATE companies SET profile_json = @P WHERE id = @Id", new { P = """{"name":"Charlie 通州","district":"通州区","district":"通州区"}""", Id = tongzhou[0] });
        await _portal.ExecuteAsync("UPDATE companies SET profile_json = @P WHERE id = @Id", new { P = "[]", Id = tongzhou[2] });
        report = await impact.RunAsync(narrower, published, today, default);
        Assert.Equal(3, report.Unreadable);
        Assert.Equal(["Bravo 通州"], Names(report.Eligible));
        Assert.Equal(["Alpha 通州", "Charlie 通州", "Delta 通州"], Names(report.NoLongerEligible));
    }

    [Fact]
    public async Task A_draft_that_changes_more_companies_than_the_page_lists_counts_them_all_and_lists_the_first_by_name()
    {
        // More newly eligible companies than the preview reads by id (20,000): the first 200 are found by
        // walking the index by name. Inserted in one statement, in an order that is not their names' order.
        const int Bulk = 20_050;
        await _portal.CompanyAsync(NoticeFixtures.Tongzhou, null, "通州·已符合");
        var today = BeijingTime.Today(TimeProvider.System);
        await _portal.Service<RematchService>().RefreshAllAsync(today);
        await _portal.ExecuteAsync($"""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Bulk})
            INSERT INTO companies (uscc, name, district, profile_json, created_at, updated_at)
            SELECT 'BULK' || i, '海淀批量' || ((i * 7919) % {Bulk}), '海淀区', '{"{"}"district":"海淀区"{"}"}', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' FROM n
            """);
        var (published, wider) = await DraftAsync(JsonNode.Parse("""{"in":[{"var":"district"},["通州区","海淀区"]]}""")!, 1);

        var report = await _portal.Service<ImpactPreview>().RunAsync(wider, published, today, default);

        Assert.Equal(Bulk, report.NewlyEligibleCount);
        Assert.Equal(0, report.NoLongerEligibleCount);
        Assert.Equal(Bulk + 1, report.DraftCounts.Eligible);
        var firstByName = await _portal.QueryAsync<string>(
            "SELECT name FROM companies WHERE district IN ('通州区', '海淀区') ORDER BY name, id LIMIT 200");
        Assert.Equal(firstByName, report.Eligible.Select(c => c.Name));
        var firstNew = await _portal.QueryAsync<string>(
            "SELECT name FROM companies WHERE uscc LIKE 'BULK%' ORDER BY name, id LIMIT 200");
        Assert.Equal(firstNew, report.NewlyEligible.Select(c => c.Name));
    }

    [Fact]
    public async Task The_eligible_companies_list_is_every_stored_company_by_name_whether_most_companies_are_eligible_or_few()
    {
        // Created out of name order, Latin initials (every collation orders them alike); two verified.
        foreach (var name in new[] { "Charlie 通州", "Alpha 通州", "Echo 通州", "Bravo 通州", "Delta 通州" })
        {
            await _portal.CompanyAsync(NoticeFixtures.Tongzhou, null, name);
        }
        await _portal.CompanyAsync(NoticeFixtures.Haidian, null, "Alpha 海淀");
        await _portal.ExecuteAsync("UPDATE companies SET verified_at = '2026-01-02T03:04:05.000Z' WHERE name IN ('Bravo 通州', 'Echo 通州')");
        var today = BeijingTime.Today(TimeProvider.System);
        await _portal.Service<RematchService>().RefreshAllAsync(today);
        var published = (await _portal.Service<CatalogRepository>().GetMeasureAsync(Measure))!;
        var impact = _portal.Service<ImpactPreview>();
        var expected = (await _portal.QueryAsync<(long, string, string, string, long)>(
            "SELECT id, uscc, name, district, CASE WHEN verified_at IS NULL THEN 0 ELSE 1 END FROM companies WHERE district = '通州区' ORDER BY name, id"))
            .Select(c => (c.Item1, c.Item2, c.Item3, c.Item4, c.Item5 == 1)).ToList();
        Assert.Equal(5, expected.Count);
        Assert.Equal(2, expected.Count(c => c.Item5));

        // Most companies eligible (one in 20 or more): the list is read walking the companies by name.
        Assert.True(expected.Count * 20 >= await _portal.ScalarAsync<long>("SELECT COUNT(*) FROM companies"));
        Assert.Equal(expected, (await impact.EligibleAsync(published, today, default)).Select(c => (c.Id, c.Uscc, c.Name, c.District, c.Verified)));

        // Few eligible: read from the stored rows and sorted. The same list.
        await _portal.ExecuteAsync("""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
            INSERT INTO companies (uscc, name, district, profile_json, created_at, updated_at)
            SELECT 'FEW' || i, '海淀' || i, '海淀区', '{"district":"海淀区"}', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' FROM n
            """);
        Assert.True(expected.Count * 20 < await _portal.ScalarAsync<long>("SELECT COUNT(*) FROM companies"));
        Assert.Equal(expected, (await impact.EligibleAsync(published, today, default)).Select(c => (c.Id, c.Uscc, c.Name, c.District, c.Verified)));
    }

    [Theory]
    [InlineData("""[{"==":[{"var":"district"},"通州区"]},{">=":[{"var":"employees"},5]}]""", "通州区")]
    [InlineData("""[{"in":[{"var":"district"},["通州区","昌平区"]]}]""", "昌平区,通州区")]
    [InlineData("""[{"in":[{"var":"district"},["通州区","昌平区"]]},{"==":["昌平区",{"var":"district"}]}]""", "昌平区,通州区")]
    [InlineData("""[{"or":[{"==":[{"var":"district"},"通州区"]},{"==":[{"var":"unicorn"},true]}]}]""", null)]
    [InlineData("""[{"!=":[{"var":"district"},"通州区"]}]""", null)]
    public void The_districts_a_draft_requires_come_only_from_criteria_that_must_hold(string rules, string? expected)
    {
        var criteria = JsonNode.Parse(rules)!.AsArray().Select((r, i) => new PolicyMatch.Rules.Criterion($"c{i}", "条件", "criterion", r!.DeepClone())).ToList();
        var districts = ImpactPreview.RequiredDistricts(criteria);
        Assert.Equal(expected, districts is null ? null : string.Join(",", districts));
    }

    public void Dispose() => _portal.Dispose();
}
