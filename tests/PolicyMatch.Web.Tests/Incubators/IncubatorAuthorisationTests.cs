using System.Net;
using System.Text.Json.Nodes;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Companies;
using PolicyMatch.Web.Tests.Infrastructure;
using static PolicyMatch.Web.Tests.Incubators.IncubatorTestKit;
using static PolicyMatch.Web.Tests.Infrastructure.TestData;

namespace PolicyMatch.Web.Tests.Incubators;

/// <summary>
/// A company's data is seen by its members, its incubator's advisors and administrators, nobody else:
/// another incubator's advisor gets 404 for every page and download that names the first incubator or
/// its tenants, never data.
/// </summary>
public class IncubatorAuthorisationTests(Portal portal) : IClassFixture<Portal>
{
    private const string SecretName = "北京只给本孵化器看科技有限公司";

    /// <summary>The first advisor with one tenant; returns the tenant's company id.</summary>
    private async Task<(Advisor First, long TenantId)> FirstIncubatorWithATenantAsync()
    {
        var first = await portal.AdvisorAsync("第一孵化器");
        var uscc = NewUscc();
        await first.Session.ImportValidAsync(Utf8(Lines("name,uscc,district", $"{SecretName},{uscc},昌平区")));
        var id = (await portal.Service<CompanyRepository>().FindByUsccAsync(uscc))!.Id;
        return (first, id);
    }

    private static string[] PagesOf(long incubatorId, long tenantId) =>
    [
        $"/incubator/{incubatorId}",
        $"/incubator/{incubatorId}/matrix",
        $"/incubator/{incubatorId}/matrix.csv",
        $"/incubator/{incubatorId}/matrix.xlsx",
        $"/incubator/tenants/{tenantId}/report",
        $"/incubator/tenants/{tenantId}/remove",
    ];

    [Fact]
    public async Task A_second_advisor_cannot_see_or_export_the_first_incubators_tenants_or_reports()
    {
        var (first, tenantId) = await FirstIncubatorWithATenantAsync();
        using var _ = first;
        using var second = await portal.AdvisorAsync("第二孵化器");

        foreach (var url in PagesOf(first.IncubatorId, tenantId))
        {
            var response = await second.Session.Client.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"GET {url}: {(int)response.StatusCode}");
            Assert.DoesNotContain(SecretName, await response.Content.ReadAsStringAsync());
        }
        // Their own pages and downloads do not include it either.
        foreach (var url in new[] { "/incubator", "/incubator/matrix?cols=all", "/incubator/matrix.csv", "/incubator/matrix.xlsx" })
        {
            var response = await second.Session.Client.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.DoesNotContain(SecretName, await response.Content.ReadAsStringAsync());
        }
        // Removing another incubator's tenant is a 404 and removes nothing.
        var removal = await second.Session.PostFormAsync("/incubator", $"/incubator/tenants/{tenantId}/remove", [], anyToken: true);
        Assert.Equal(HttpStatusCode.NotFound, removal.StatusCode);
        Assert.Contains(SecretName, (await first.Session.PageAsync("/incubator")).QuerySelector("table.tenants")!.TextContent);
    }

    [Fact]
    public async Task An_advisor_cannot_open_the_report_of_a_company_that_is_not_a_tenant()
    {
        using var advisor = await portal.AdvisorAsync();
        using var owner = await portal.SignInAsync(Roles.Company);
        var profile = JsonNode.Parse($$"""{ "name": "北京自有科技有限公司", "uscc": "{{NewUscc()}}", "district": "海淀区" }""")!.AsObject();
        var companyId = (await portal.Service<CompanyRepository>().CreateAsync(profile, owner.UserId))!.Value;

        var response = await advisor.Session.Client.GetAsync($"/incubator/tenants/{companyId}/report");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("北京自有科技有限公司", await response.Content.ReadAsStringAsync());
        await advisor.Session.PageAsync("/incubator/tenants/999999/report", HttpStatusCode.NotFound);
        await advisor.Session.PageAsync("/incubator/999999", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_company_user_is_refused_the_incubator_workspace()
    {
        var (first, tenantId) = await FirstIncubatorWithATenantAsync();
        using var _ = first;
        using var company = await portal.SignInAsync(Roles.Company);

        foreach (var url in PagesOf(first.IncubatorId, tenantId).Concat(["/incubator", "/incubator/matrix", "/incubator/import", "/incubator/tenants/new"]))
        {
            var response = await company.Client.GetAsync(url);
            // The cookie handler's answer to a wrong role: a redirect to the 403 page.
            Assert.True(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound
                || (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.Contains("/error/403")),
                $"GET {url}: {(int)response.StatusCode} {response.Headers.Location}");
            Assert.DoesNotContain(SecretName, await response.Content.ReadAsStringAsync());
        }
        var denied = await company.Client.GetAsync("/error/403");
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
    }

    [Fact]
    public async Task Anonymous_visitors_are_sent_to_log_in()
    {
        using var anonymous = portal.Anonymous();
        foreach (var url in new[] { "/incubator", "/incubator/1", "/incubator/matrix", "/incubator/matrix.csv", "/incubator/matrix.xlsx", "/incubator/import", "/incubator/tenants/1/report" })
        {
            var response = await anonymous.Client.GetAsync(url);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            var location = response.Headers.Location!;
            Assert.StartsWith("/account/login", location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString);
        }
    }

    [Fact]
    public async Task Posts_without_an_antiforgery_token_are_refused()
    {
        var (first, tenantId) = await FirstIncubatorWithATenantAsync();
        using var _ = first;

        var form = await first.Session.Client.PostAsync("/incubator/tenants/new",
            new FormUrlEncodedContent([F("Name", "北京无令牌科技有限公司"), F("Uscc", NewUscc()), F("District", "昌平区")]));
        using var multipart = new MultipartFormDataContent { { new ByteArrayContent(Utf8(Lines("name,uscc,district", $"北京无令牌二有限公司,{NewUscc()},昌平区"))), "file", "t.csv" } };
        var import = await first.Session.Client.PostAsync("/incubator/import", multipart);
        var remove = await first.Session.Client.PostAsync($"/incubator/tenants/{tenantId}/remove", new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.BadRequest, form.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, import.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, remove.StatusCode);
        Assert.Single((await first.Session.PageAsync("/incubator")).QuerySelectorAll("table.tenants tbody tr"));
    }

    [Fact]
    public async Task An_administrator_views_any_incubator_but_does_not_change_it()
    {
        var (first, tenantId) = await FirstIncubatorWithATenantAsync();
        using var _ = first;
        using var admin = await portal.SignInAsync(Roles.Admin);

        var list = await admin.PageAsync("/incubator");
        Assert.NotNull(list.QuerySelector($"a[href='/incubator/{first.IncubatorId}']"));
        var page = await admin.PageAsync($"/incubator/{first.IncubatorId}");
        Assert.Contains(SecretName, page.QuerySelector("table.tenants")!.TextContent);
        Assert.Null(page.QuerySelector("a[href='/incubator/import']")); // read-only
        await admin.PageAsync($"/incubator/{first.IncubatorId}/matrix");
        await admin.PageAsync($"/incubator/tenants/{tenantId}/report");
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.GetAsync($"/incubator/{first.IncubatorId}/matrix.xlsx")).StatusCode);
        await admin.PageAsync("/incubator/import", HttpStatusCode.NotFound);
        await admin.PageAsync($"/incubator/tenants/{tenantId}/remove", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_advisor_without_an_incubator_is_told_so_and_sees_nothing()
    {
        using var s = await portal.SignInAsync(Roles.Advisor);

        var page = await s.PageAsync("/incubator");

        Assert.Contains("还没有关联孵化器", page.Body!.TextContent);
        await s.PageAsync("/incubator/matrix", HttpStatusCode.NotFound);
        await s.PageAsync("/incubator/import", HttpStatusCode.NotFound);
    }
}
