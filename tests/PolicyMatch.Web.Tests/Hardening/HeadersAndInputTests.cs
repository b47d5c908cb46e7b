using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Mvc.Testing;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Tests.Infrastructure;

namespace PolicyMatch.Web.Tests.Hardening;

/// <summary>A portal with the production rates (60 rule evaluations, 20 logins per client per minute).</summary>
public sealed class ProductionRatesPortal : Portal
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["RateLimits:RulesPerMinute"] = "60",
        ["RateLimits:LoginsPerMinute"] = "20",
    };
}

public class RateLimitTests(ProductionRatesPortal portal) : IClassFixture<ProductionRatesPortal>
{
    [Fact]
    public async Task The_anonymous_rules_endpoint_answers_429_after_60_calls_a_minute_from_one_client()
    {
        using var client = portal.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 61; i++)
        {
            var response = await client.PostAsync("/api/rules/evaluate", new StringContent("""{"rule":true}""", Encoding.UTF8, "application/json"));
            statuses.Add(response.StatusCode);
        }
        Assert.All(statuses.Take(60), s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[60]);
    }

    [Fact]
    public async Task Logins_from_one_client_answer_429_after_20_a_minute_whatever_the_email()
    {
        using var s = portal.Anonymous();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 21; i++)
        {
            var page = await s.PageAsync("/account/login");
            var token = page.QuerySelector("form[action='/account/login'] input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
            var response = await s.Client.PostAsync("/account/login", new FormUrlEncodedContent(
                [new("Email", $"someone-{i}@example.com"), new("Password", "a guess"), new("__RequestVerificationToken", token)]));
            statuses.Add(response.StatusCode);
        }
        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, statuses.Take(20));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[20]);
    }
}

public class HeadersAndInputTests(Portal portal) : IClassFixture<Portal>
{
    private static KeyValuePair<string, string> F(string k, string v) => new(k, v);

    [Theory]
    [InlineData("/")]
    [InlineData("/measures")]
    [InlineData("/api/measures")]
    [InlineData("/css/site.css")]
    [InlineData("/no-such-page")]
    public async Task Every_response_carries_the_security_headers(string url)
    {
        using var client = portal.CreateClient();
        var response = await client.GetAsync(url);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("strict-origin-when-cross-origin", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("script-src 'self';", csp);
    }

    [Fact]
    public async Task Pages_of_a_signed_in_user_are_not_stored()
    {
        using var s = await portal.SignInAsync(Roles.Company);
        var response = await s.Client.GetAsync("/companies");
        Assert.Contains("no-store", response.Headers.CacheControl!.ToString());
        using var anonymous = portal.CreateClient();
        Assert.DoesNotContain("no-store", (await anonymous.GetAsync("/measures")).Headers.CacheControl?.ToString() ?? "");
    }

    [Fact]
    public async Task No_view_has_inline_script_or_event_handler_attributes()
    {
        var views = Directory.GetFiles(Path.Combine(Repo.Root, "src", "PolicyMatch.Web", "Features"), "*.cshtml", SearchOption.AllDirectories);
        foreach (var view in views)
        {
            var text = await File.ReadAllTextAsync(view);
            Assert.False(System.Text.RegularExpressions.Regex.IsMatch(text, @"<script(?![^>]*\bsrc=)[^>]*>"), $"{view} has an inline <script>");
            Assert.False(System.Text.RegularExpressions.Regex.IsMatch(text, @"\son[a-z]+\s*="), $"{view} has an event handler attribute");
        }
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(200)]
    [InlineData(999)]
    [InlineData(2147483647)]
    public async Task Error_pages_never_copy_an_unknown_number_into_the_status_line(int n)
    {
        using var client = portal.CreateClient();
        var response = await client.GetAsync($"/error/{n}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_known_error_status_keeps_its_page()
    {
        using var client = portal.CreateClient();
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/error/403")).StatusCode);
    }
}
