using System.Net;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Tests.Infrastructure;

namespace PolicyMatch.Web.Tests.Authoring;

/// <summary>Every /admin route is for administrators only.</summary>
public class AdminAuthorisationTests(Portal portal) : IClassFixture<Portal>
{
    private const string Measure = "cp-tech-transfer-award";

    public static TheoryData<string, string> Routes() => new()
    {
        { "GET", "/admin" },
        { "GET", "/admin/audit" },
        { "GET", "/admin/audit?entity=measure" },
        { "GET", "/admin/measures/new" },
        { "GET", $"/admin/measures/{Measure}/edit" },
        { "GET", $"/admin/measures/{Measure}/preview" },
        { "GET", $"/admin/measures/{Measure}/versions" },
        { "GET", $"/admin/measures/{Measure}/eligible.csv" },
        { "POST", "/admin/measures/new" },
        { "POST", $"/admin/measures/{Measure}/edit" },
        { "POST", $"/admin/measures/{Measure}/publish" },
        { "POST", $"/admin/measures/{Measure}/retire" },
    };

    private static Task<HttpResponseMessage> SendAsync(Session session, string method, string url) =>
        method == "GET"
            ? session.Client.GetAsync(url)
            : session.Client.PostAsync(url, new FormUrlEncodedContent([new("version", "1"), new("command", "save")]));

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Anonymous_visitors_are_sent_to_log_in(string method, string url)
    {
        using var anonymous = portal.Anonymous();
        var response = await SendAsync(anonymous, method, url);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery());
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Company_users_are_refused(string method, string url) => await AssertForbiddenAsync(Roles.Company, method, url);

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Advisors_are_refused(string method, string url) => await AssertForbiddenAsync(Roles.Advisor, method, url);

    private async Task AssertForbiddenAsync(string role, string method, string url)
    {
        using var user = await portal.SignInAsync(role);
        var response = await SendAsync(user, method, url);
        // The cookie handler sends pages to the access-denied page, which answers 403.
        if (response.StatusCode == HttpStatusCode.Redirect)
        {
            var location = response.Headers.Location!.PathAndQuery();
            Assert.StartsWith("/error/403", location);
            response = await user.Client.GetAsync(location);
        }
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("published", (await portal.Service<Features.Catalog.CatalogRepository>().GetMeasureStateAsync(Measure))!.Status);
    }
}

internal static class UriExtensions
{
    /// <summary>A redirect's target as path and query, whether the header is absolute or relative.</summary>
    public static string PathAndQuery(this Uri uri) => uri.IsAbsoluteUri ? uri.PathAndQuery : uri.OriginalString;
}
