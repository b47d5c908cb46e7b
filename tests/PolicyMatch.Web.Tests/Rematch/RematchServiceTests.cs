using PolicyMatch.Web.Infrastructure.Time;
using System.Net;
using System.Text.Json.Nodes;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Companies;
using PolicyMatch.Web.Features.Notices;
using PolicyMatch.Web.Features.Rematch;
using PolicyMatch.Web.Tests.Infrastructure;
using PolicyMatch.Web.Tests.Notices;
using static PolicyMatch.Web.Tests.Rematch.RematchKit;

namespace PolicyMatch.Web.Tests.Rematch;

/// <summary>
/// The stored matches against the seeded catalog, with the scheduler off: tests call
/// <see cref="RematchService"/> directly, as the job would.
/// </summary>
public sealed class RematchServiceTests(Portal portal) : IClassFixture<Portal>
{
    /// <summary>Profiles chosen to land in every group of some seeded measures (and in none of others).</summary>
    private static readonly (string Name, string Profile)[] Profiles =
    [
        // A 海淀 high-tech firm with R&D and patents: eligible for many 海淀 and city-wide measures.
        ("海淀高新科技有限公司", """{ "district": "海淀区", "zones": ["中关村科学城"], "focus_areas": ["人工智能"], "industry_code": "6513", "established_on": "2016-03-01", "employees": 120, "revenue_last_year": 80000000, "rd_expense_last_year": 9000000, "hightech_certificate": { "number": "GR202311001234", "issued_on": "2023-10-16" }, "tech_sme_year": 2025, "srdi_level": "specialized_sme", "invention_patents": 12, "listing_status": "intends" }"""),
        // An 昌平 start-up that answered little: mostly "needs information".
        ("昌平初创生物科技有限公司", """{ "district": "昌平区", "zones": ["生命科学园"], "focus_areas": ["医药健康"] }"""),
        // A 通州 firm without qualifications: near misses where one qualification is missing.
        ("通州智造有限公司", """{ "district": "通州区", "focus_areas": ["智能制造"], "established_on": "2010-06-01", "employees": 300, "revenue_last_year": 300000000, "rd_expense_last_year": 6000000, "hightech_certificate": false, "srdi_level": "none", "invention_patents": 0, "unicorn": false, "gazelle": false }"""),
        // Outside Beijing: 京津冀 measures only; location-only failures are not stored.
        ("天津协同创新有限公司", """{ "district": "天津市", "focus_areas": ["集成电路"], "established_on": "2019-01-01", "employees": 40, "hightech_certificate": false }"""),
        // An incubator tenant, a university spin-off, young.
        ("怀柔孵化科技有限公司", """{ "district": "怀柔区", "zones": ["怀柔科学城"], "established_on": "2024-09-01", "employees": 8, "incubator_tenant": true, "university_spinoff": true, "srdi_level": "innovative_sme" }"""),
    ];

    [Fact]
    public async Task A_full_rematch_stores_exactly_what_the_matches_page_computes_for_each_company()
    {
        var ids = new List<(long Id, JsonObject Profile)>();
        foreach (var (name, profile) in Profiles)
        {
            var id = await CreateCompanyAsync(portal, name, profile);
            ids.Add((id, (await portal.Service<CompanyRepository>().FindAsync(id))!.Profile()));
        }
        var asOf = new DateOnly(2025, 9, 1);

        var result = await portal.Service<RematchService>().RefreshAllAsync(asOf);

        var all = new List<string>();
        foreach (var (id, profile) in ids)
        {
            var expected = await ExpectedAsync(portal, profile, asOf);
            Assert.Equal(expected, await StoredAsync(portal, id));
            all.AddRange(expected);
        }
        // The comparison is worth something only if every stored group occurs.
        Assert.Contains(all, l => l.Contains(" eligible "));
        Assert.Contains(all, l => l.Contains(" needs_information "));
        Assert.Contains(all, l => l.Contains(" near_miss "));
        Assert.Equal("full", result.Scope);
        Assert.Equal(await CompanyCountAsync(portal), result.Companies);
        Assert.True(result.Rows >= all.Count);
    }

    [Theory]
    [InlineData("{\"district\":")]
    [InlineData("[\"海淀区\"]")]
    [InlineData("{\"district\":\"海淀区\",\"district\":\"通州区\"}")]
    public async Task A_profile_edited_by_hand_into_text_the_portal_cannot_read_matches_nothing_and_the_rematch_goes_on(string unreadable)
    {
        var (name, profile) = Profiles[0];
        var readable = await CreateCompanyAsync(portal, name, profile);
        var broken = await CreateCompanyAsync(portal, "手工改坏的档案有限公司", profile);
        await portal.ExecuteAsync("UPDATE companies SET profile_json = @P WHERE id = @Id", new { P = unreadable, Id = broken });
        var asOf = new DateOnly(2025, 9, 1);
        try
        {
            var result = await portal.Service<RematchService>().RefreshAllAsync(asOf);

            Assert.Equal(await CompanyCountAsync(portal), result.Companies);
            Assert.Empty(await StoredAsync(portal, broken));
            var expected = await ExpectedAsync(portal, (await portal.Service<CompanyRepository>().FindAsync(readable))!.Profile(), asOf);
            Assert.NotEmpty(expected);
            Assert.Equal(expected, await StoredAsync(portal, readable));
        }
        finally
        {
            await portal.ExecuteAsync("DELETE FROM companies WHERE id = @Id", new { Id = broken }); // the class's tests share one portal
        }
    }

    [Fact]
    public async Task The_first_companies_by_name_are_the_same_whether_walked_by_name_or_joined_and_sorted()
    {
        foreach (var (name, profile) in Profiles)
        {
            await CreateCompanyAsync(portal, name, profile);
        }
        await portal.Service<RematchService>().RefreshAllAsync(new DateOnly(2025, 9, 1));
        var stored = portal.Service<StoredMatches>();
        // Every stored measure with at least two eligible companies, so a limit of 2 cuts a longer list.
        await using var db = await portal.Service<PolicyMatch.Web.Infrastructure.Data.IDbConnectionFactory>().OpenAsync();
        var measures = (await Dapper.SqlMapper.QueryAsync<(string Measure, long Version)>(db, """
            SELECT measure_id, measure_version FROM company_matches WHERE outcome = 'eligible'
            GROUP BY measure_id, measure_version HAVING COUNT(*) >= 2
            """)).ToList();
        Assert.NotEmpty(measures);
        foreach (var (measure, version) in measures)
        {
            var all = await stored.CompaniesAsync(measure, version, "eligible", null, false, CancellationToken.None);
            var walked = await stored.CompaniesAsync(measure, version, "eligible", 2, true, CancellationToken.None);
            var joined = await stored.CompaniesAsync(measure, version, "eligible", 2, false, CancellationToken.None);
            Assert.Equal(all.Take(2).Select(c => c.Id), walked.Select(c => c.Id));
            Assert.Equal(all.Take(2).Select(c => c.Id), joined.Select(c => c.Id));
        }
    }

    [Fact]
    public async Task A_full_rematch_replaces_rows_of_measures_evaluated_on_another_date()
    {
        // A 高新 certificate issued 2022-07-01 runs three years: valid on 2025-06-30, expired on 2025-07-02.
        var company = await CreateCompanyAsync(portal, "日期漂移测试科技",
            """{ "district": "海淀区", "employees": 20, "hightech_certificate": { "number": "GR202211000001", "issued_on": "2022-07-01" } }""");
        var profile = (await portal.Service<CompanyRepository>().FindAsync(company))!.Profile();
        var rematch = portal.Service<RematchService>();

        await rematch.RefreshAllAsync(new DateOnly(2025, 6, 30));
        var before = await StoredAsync(portal, company);
        await rematch.RefreshAllAsync(new DateOnly(2025, 7, 2));
        var after = await StoredAsync(portal, company);

        Assert.Equal(await ExpectedAsync(portal, profile, new DateOnly(2025, 6, 30)), before);
        Assert.Equal(await ExpectedAsync(portal, profile, new DateOnly(2025, 7, 2)), after);
        Assert.NotEqual(before, after);
    }

    [Fact]
    public async Task Saving_a_profile_on_the_company_page_refreshes_that_companys_stored_matches_at_once()
    {
        using var owner = await portal.SignInAsync(Roles.Company, "李四");
        var uscc = TestData.NewUscc();
        KeyValuePair<string, string> F(string k, string v) => new(k, v);
        var created = await owner.PostFormAsync("/companies/new", "/companies/new",
            [F("Name", "北京重新匹配科技有限公司"), F("Uscc", uscc), F("District", "昌平区"), F("Employees", "45"), F("Hightech", "no")]);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var id = long.Parse(created.Headers.Location!.OriginalString.Split('/').Last());
        var today = BeijingTime.Today(TimeProvider.System);
        var companies = portal.Service<CompanyRepository>();

        // Created: stored at once, without any rematch run.
        var before = await StoredAsync(portal, id);
        Assert.Equal(await ExpectedAsync(portal, (await companies.FindAsync(id))!.Profile(), today), before);
        Assert.Contains(before, l => l.StartsWith("cp-", StringComparison.Ordinal) && l.Contains(" eligible "));

        var saved = await owner.PostFormAsync($"/companies/{id}/profile", $"/companies/{id}/profile",
            [F("Name", "北京重新匹配科技有限公司"), F("Uscc", uscc), F("District", "海淀区"), F("Employees", "60"), F("Hightech", "no")]);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        var after = await StoredAsync(portal, id);
        Assert.Equal(await ExpectedAsync(portal, (await companies.FindAsync(id))!.Profile(), today), after);
        // Moving to 海淀 brings 海淀 measures that were not there before.
        Assert.Contains(after.Except(before), l => l.StartsWith("hd-", StringComparison.Ordinal));
        Assert.DoesNotContain(before, l => l.StartsWith("hd-", StringComparison.Ordinal) && l.Contains(" eligible "));
    }

    [Fact]
    public async Task Rematching_a_retired_or_unknown_measure_leaves_no_rows_of_it()
    {
        var company = await CreateCompanyAsync(portal, "海淀下线测试科技", """{ "district": "海淀区", "employees": 30 }""");
        var rematch = portal.Service<RematchService>();
        await rematch.RefreshAllAsync();
        var measure = (await StoredAsync(portal, company)).First().Split(' ')[0];
        var catalog = portal.Service<Web.Features.Catalog.CatalogRepository>();
        await using (var db = await portal.Service<Web.Infrastructure.Data.IDbConnectionFactory>().OpenAsync())
        await using (var tx = await db.BeginTransactionAsync())
        {
            await catalog.SetStatusAsync(db, tx, measure, PolicyMatch.Web.Features.Catalog.MeasureStatus.Retired);
            await tx.CommitAsync();
        }
        try
        {
            var result = await rematch.RefreshMeasureAsync(measure);

            Assert.Equal(0, result.Rows);
            Assert.Null(await OutcomeAsync(portal, company, measure));
            Assert.Empty((await portal.Service<StoredMatches>().CountsOfMeasureAsync(measure)).Keys);
        }
        finally
        {
            await using var db = await portal.Service<Web.Infrastructure.Data.IDbConnectionFactory>().OpenAsync();
            await using var tx = await db.BeginTransactionAsync();
            await catalog.SetStatusAsync(db, tx, measure, PolicyMatch.Web.Features.Catalog.MeasureStatus.Published);
            await tx.CommitAsync();
            portal.Service<Web.Features.Catalog.CatalogCache>().Invalidate();
        }
    }
}
